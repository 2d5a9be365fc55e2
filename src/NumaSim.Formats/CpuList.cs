using System.Globalization;
using System.Text;

namespace NumaSim.Formats;

/// <summary>
/// The kernel's range-list form of a set of CPU or node ids: what "%*pbl" prints into cpulist,
/// online, has_cpu and friends, and what bitmap_parselist reads ("0-3,8"). A run of two or more
/// consecutive ids becomes "first-last", as the kernel prints "0-1" for two CPUs.
/// </summary>
public static class CpuList
{
    /// <summary>Largest id accepted: more than any kernel's NR_CPUS, small enough that a garbled
    /// range such as "0-4000000000" is refused instead of allocating gigabytes.</summary>
    public const int MaxId = 65535;

    public static string Format(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var sorted = ids.Distinct().Order().ToArray();
        if (sorted.Length > 0 && sorted[0] < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ids), sorted[0], "ids must not be negative");
        }

        var sb = new StringBuilder();
        var i = 0;
        while (i < sorted.Length)
        {
            var first = sorted[i];
            var last = first;
            while (i + 1 < sorted.Length && sorted[i + 1] == last + 1)
            {
                i++;
                last++;
            }
            i++;

            if (sb.Length > 0)
            {
                sb.Append(',');
            }
            sb.Append(CultureInfo.InvariantCulture, $"{first}");
            if (last != first)
            {
                sb.Append(CultureInfo.InvariantCulture, $"-{last}");
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// Reads a range list ("0-3,8", "" for none; surrounding white space such as the file's final
    /// newline is ignored). Returns the ids ascending, without duplicates.
    /// </summary>
    /// <exception cref="FormatException">The text is not a range list.</exception>
    public static IReadOnlyList<int> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return [];
        }

        var ids = new SortedSet<int>();
        foreach (var part in trimmed.Split(','))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var first = ParseId(text, dash < 0 ? part : part[..dash]);
            var last = dash < 0 ? first : ParseId(text, part[(dash + 1)..]);
            if (last < first)
            {
                throw new FormatException($"'{text.Trim()}' is not a CPU list: range {part} runs backwards");
            }
            for (var id = first; id <= last; id++)
            {
                ids.Add(id);
            }
        }
        return [.. ids];
    }

    private static int ParseId(string text, string token)
    {
        if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id > MaxId)
        {
            throw new FormatException(
                $"'{text.Trim()}' is not a CPU list such as 0-3,8: '{token}' is not an id from 0 to {MaxId}");
        }
        return id;
    }
}
