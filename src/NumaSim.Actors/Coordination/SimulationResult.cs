using NumaSim.Model.Snapshots;
using NumaSim.Results;

namespace NumaSim.Actors.Coordination;

/// <summary>A finished run (or one between rounds): the machine's state and the run's summary.</summary>
public sealed record SimulationResult(MachineSnapshot Machine, RunSummary Summary)
{
    /// <summary>TLB and fault counters per CPU, in CPU order.</summary>
    public IReadOnlyList<CpuCounters> Cpus { get; init; } = [];

    /// <summary>Memory accesses and stream allocations: [CPU's node][page's node].</summary>
    public IReadOnlyList<IReadOnlyList<long>> Traffic { get; init; } = [];

    /// <summary>Stream allocations served and failed by order and gfp class, over all CPUs.</summary>
    public IReadOnlyList<AllocationClassCount> AllocationsByClass { get; init; } = [];

    /// <summary>Every latency kind's exact distribution, (ns, count) ascending.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(long Ns, long Count)>> Latency { get; init; } = new Dictionary<string, IReadOnlyList<(long Ns, long Count)>>();

    /// <summary>Access latency by "kind|cpu node|page node" (tlb_hit, walk, fault), when the run kept it (metrics on).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<(long Ns, long Count)>> LatencyByNodePair { get; init; } = new Dictionary<string, IReadOnlyList<(long Ns, long Count)>>();
}
