using NumaSim.Model.Kernel;

namespace NumaSim.Workloads.Kernel;

/// <summary>
/// A per-CPU stream of kernel allocations, run by each CPU of <see cref="Cpus"/> in a context
/// (a task, or an interrupt handler). <see cref="Node"/> is kmalloc_node's node (-1: NUMA_NO_NODE).
/// </summary>
public sealed record KernelStream(
    IReadOnlyList<int> Cpus,
    long Operations,
    long MeanThinkTimeNs,
    CpuContext Context,
    int Node,
    IReadOnlyList<KernelAllocKind> Mix)
{
    public int TotalWeight { get; } = Mix.Sum(m => m.Weight);
}
