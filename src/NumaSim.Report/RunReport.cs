using NumaSim.Model.Snapshots;
using NumaSim.Results;

namespace NumaSim.Report;

/// <summary>What report.html shows: the final state, per-CPU counters, traffic, latency distributions and the timeline.</summary>
public sealed record RunReport(
    MachineSnapshot Machine,
    RunSummary Summary,
    IReadOnlyList<CpuCounters> Cpus,
    IReadOnlyList<IReadOnlyList<long>> Traffic,
    IReadOnlyDictionary<string, IReadOnlyList<(long Ns, long Count)>> Latency,
    IReadOnlyList<TimelinePoint> Timeline)
{
    /// <summary>Memory-access latency distributions keyed "kind|CPU's node|page's node" (tlb_hit, walk, fault).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(long Ns, long Count)>> LatencyByNodePair { get; init; } =
        new Dictionary<string, IReadOnlyList<(long Ns, long Count)>>();

    /// <summary>The scenario's settings as the run used them, in the order shown.</summary>
    public IReadOnlyList<(string Key, string Value)> Settings { get; init; } = [];

    /// <summary>The scenario file as written, when the run had one.</summary>
    public string? ScenarioText { get; init; }
}
