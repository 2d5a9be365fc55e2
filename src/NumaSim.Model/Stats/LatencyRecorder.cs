using NumaSim.Model.Snapshots;

namespace NumaSim.Model.Stats;

/// <summary>
/// Exact latency distributions by kind: modeled latencies take few distinct values, so counting
/// each value keeps percentiles exact and merging across CPUs deterministic.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly Dictionary<string, LatencyCounts> _byKind = new(StringComparer.Ordinal);

    public void Record(string kind, long ns) => For(kind).Record(ns);

    /// <summary>Counts <paramref name="count"/> latencies of one value at once (a distribution folded in).</summary>
    public void Record(string kind, long ns, long count) => For(kind).Record(ns, count);

    /// <summary>The counter of one kind, to keep on a hot path instead of looking the kind up each time.</summary>
    public Counter For(string kind)
    {
        if (!_byKind.TryGetValue(kind, out var counts))
        {
            _byKind[kind] = counts = new();
        }
        return new Counter(counts);
    }

    /// <summary>Counts latencies of one kind.</summary>
    public readonly struct Counter(LatencyCounts counts)
    {
        public void Record(long ns) => counts.Add(ns);

        public void Record(long ns, long count) => counts.Add(ns, count);
    }

    public void Merge(LatencyRecorder other)
    {
        foreach (var (kind, counts) in other._byKind)
        {
            foreach (var (ns, count) in counts)
            {
                if (!_byKind.TryGetValue(kind, out var mine))
                {
                    _byKind[kind] = mine = new();
                }
                mine.Add(ns, count);
            }
        }
    }

    /// <summary>Every kind's latencies as (ns, count) in ascending ns: the histograms of the report.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(long Ns, long Count)>> Distributions()
    {
        var result = new SortedDictionary<string, IReadOnlyList<(long Ns, long Count)>>(StringComparer.Ordinal);
        foreach (var (kind, counts) in _byKind.Where(k => k.Value.Count > 0))
        {
            // Every CPU's distributions go into each timeline sample: sorted in place, not through an ordering iterator.
            var sorted = new (long Ns, long Count)[counts.Count];
            var i = 0;
            foreach (var (ns, count) in counts)
            {
                sorted[i++] = (ns, count);
            }
            Array.Sort(sorted, static (a, b) => a.Ns.CompareTo(b.Ns));
            result[kind] = sorted;
        }
        return result;
    }

    public IReadOnlyDictionary<string, LatencyStats> Stats()
    {
        var result = new SortedDictionary<string, LatencyStats>(StringComparer.Ordinal);
        foreach (var (kind, unsorted) in _byKind.Where(k => k.Value.Count > 0))
        {
            var counts = new SortedDictionary<long, long>();
            foreach (var (ns, count) in unsorted)
            {
                counts[ns] = count;
            }
            var total = counts.Values.Sum();
            result[kind] = new LatencyStats(total, Percentile(counts, total, 50), Percentile(counts, total, 99), counts.Keys.Max());
        }
        return result;
    }

    /// <summary>The percentiles of one distribution of (ns, count), as <see cref="Stats"/> gives them per kind.</summary>
    public static LatencyStats StatsOf(IReadOnlyList<(long Ns, long Count)> distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var counts = new SortedDictionary<long, long>();
        foreach (var (ns, count) in distribution)
        {
            counts[ns] = counts.GetValueOrDefault(ns) + count;
        }
        var total = counts.Values.Sum();
        return total == 0 ? new LatencyStats(0, 0, 0, 0) : new LatencyStats(total, Percentile(counts, total, 50), Percentile(counts, total, 99), counts.Keys.Max());
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static long Percentile(SortedDictionary<long, long> counts, long total, int p)
    {
        var rank = (long)Math.Ceiling(p / 100.0 * total);
        long seen = 0;
        foreach (var (ns, count) in counts)
        {
            seen += count;
            if (seen >= rank)
            {
                return ns;
            }
        }
        return counts.Keys.Max();
    }
}
