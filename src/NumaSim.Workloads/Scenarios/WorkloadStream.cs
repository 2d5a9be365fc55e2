using NumaSim.Model.PageAlloc;

namespace NumaSim.Workloads.Scenarios;

/// <summary>A per-CPU allocation stream, run by each CPU of <see cref="Cpus"/>.</summary>
public sealed record WorkloadStream(
    IReadOnlyList<int> Cpus,
    long Operations,
    long MeanThinkTimeNs,
    MemPolicy Policy,
    IReadOnlyList<AllocationKind> Mix)
{
    public int TotalWeight { get; } = Mix.Sum(m => m.Weight);
}
