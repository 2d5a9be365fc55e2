using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;

namespace NumaSim.Actors.Messages;

/// <summary>A component's latency distributions as they stood: (ns, count) in ascending ns, by kind; a copy, not the live recorder.</summary>
public sealed record LatencySnapshot(IReadOnlyDictionary<string, IReadOnlyList<(long Ns, long Count)>> ByKind)
{
    public static LatencySnapshot Empty { get; } = new(new Dictionary<string, IReadOnlyList<(long Ns, long Count)>>());

    public static LatencySnapshot Of(LatencyRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        return new LatencySnapshot(recorder.Distributions());
    }

    /// <summary>Each kind's count and percentiles, as <see cref="LatencyRecorder.Stats"/> gives them.</summary>
    public IReadOnlyDictionary<string, LatencyStats> Stats()
    {
        var result = new SortedDictionary<string, LatencyStats>(StringComparer.Ordinal);
        foreach (var (kind, counts) in ByKind)
        {
            result[kind] = LatencyRecorder.StatsOf(counts);
        }
        return result;
    }

    /// <summary>Adds these distributions to a recorder (folding every component's into the run's).</summary>
    public void AddTo(LatencyRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        foreach (var (kind, counts) in ByKind)
        {
            foreach (var (ns, count) in counts)
            {
                recorder.Record(kind, ns, count);
            }
        }
    }
}
