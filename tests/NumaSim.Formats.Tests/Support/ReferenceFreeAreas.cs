using System.Globalization;
using System.Text.RegularExpressions;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Tests.Support;

/// <summary>Free-list and pageblock counts of the real buddyinfo and pagetypeinfo, by (node, zone).</summary>
internal static partial class ReferenceFreeAreas
{
    /// <summary>pagetypeinfo's free rows: [migratetype][order] per zone.</summary>
    public static Dictionary<(int Node, ZoneType Zone), long[][]> FreeByType(string pagetypeinfo)
    {
        var result = new Dictionary<(int, ZoneType), long[][]>();
        foreach (Match m in FreeRow().Matches(pagetypeinfo))
        {
            var key = (Int(m.Groups[1].Value), Zone(m.Groups[2].Value));
            var perType = result.TryGetValue(key, out var existing) ? existing : result[key] = new long[MigrateTypes.Count][];
            perType[Array.IndexOf(MigrateTypeNames, m.Groups[3].Value)] = Longs(m.Groups[4].Value);
        }
        return result;
    }

    /// <summary>pagetypeinfo's "Number of blocks type" rows: blocks per migratetype per zone.</summary>
    public static Dictionary<(int Node, ZoneType Zone), long[]> BlocksByType(string pagetypeinfo) =>
        BlockRow().Matches(pagetypeinfo).ToDictionary(
            m => (Int(m.Groups[1].Value), Zone(m.Groups[2].Value)), m => Longs(m.Groups[3].Value));

    /// <summary>buddyinfo rows: free blocks per order per zone.</summary>
    public static Dictionary<(int Node, ZoneType Zone), long[]> Buddyinfo(string buddyinfo) =>
        BuddyRow().Matches(buddyinfo).ToDictionary(
            m => (Int(m.Groups[1].Value), Zone(m.Groups[2].Value)), m => Longs(m.Groups[3].Value));

    private static readonly string[] MigrateTypeNames =
        [.. Enumerable.Range(0, MigrateTypes.Count).Select(t => ((MigrateType)t).KernelName())];

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    private static ZoneType Zone(string s) => ZoneTypes.TryParse(s, out var t) ? t : throw new FormatException(s);

    private static long[] Longs(string s) =>
        [.. s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => long.Parse(v, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"^Node +(\d+), zone +(\S+), type +(\S+)((?: +\d+)+) *$", RegexOptions.Multiline)]
    private static partial Regex FreeRow();

    [GeneratedRegex(@"^Node (\d+), zone +(\S+)((?: +\d+){5}) *$", RegexOptions.Multiline)]
    private static partial Regex BlockRow();

    [GeneratedRegex(@"^Node (\d+), zone +(\S+)((?: +\d+){11}) *$", RegexOptions.Multiline)]
    private static partial Regex BuddyRow();
}
