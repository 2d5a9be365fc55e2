using System.Globalization;
using NumaSim.Model.Snapshots;

namespace NumaSim.Formats.Tests.Support;

/// <summary>"name value" files (vmstat, numastat) and slabinfo rows of the reference machine.</summary>
internal static class ReferenceCounters
{
    public static Dictionary<string, long> NameValues(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));

    public static List<SlabCacheSnapshot> SlabCaches(string slabinfo) =>
        slabinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).Select(line =>
        {
            var t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long L(int i) => long.Parse(t[i], CultureInfo.InvariantCulture);
            // name active num objsize perslab pages : tunables l b s : slabdata active num shared
            return new SlabCacheSnapshot(t[0], L(1), L(2), (int)L(3), (int)L(4), (int)L(5), L(13), L(14), false);
        }).ToList();

    public static NumaEvents Numastat(string text)
    {
        var v = NameValues(text);
        return new NumaEvents(v["numa_hit"], v["numa_miss"], v["numa_foreign"], v["interleave_hit"], v["local_node"], v["other_node"]);
    }
}
