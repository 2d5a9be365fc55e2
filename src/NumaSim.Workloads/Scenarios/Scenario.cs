using NumaSim.Model.Kernel;
using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Kernel;

namespace NumaSim.Workloads.Scenarios;

/// <summary>A loaded, validated scenario: the machine, the costs, the clock settings and the workload.</summary>
public sealed record Scenario(
    string Name,
    long Seed,
    MachineTopology Topology,
    LatencyModel Latency,
    long QuantumNs,
    long MaxTimeNs,
    IReadOnlyList<WorkloadStream> Streams)
{
    public TlbConfig Tlb { get; init; } = TlbConfig.Default;

    /// <summary>Zones that lose their free memory at given simulated times (numasim.workload.faults).</summary>
    public IReadOnlyList<ZoneFault> Faults { get; init; } = [];

    /// <summary>A scenario test listens: the actors publish what they observe on the actor system's event stream.</summary>
    public bool Observed { get; init; }

    /// <summary>Tasks that map and touch memory through the MMU.</summary>
    public IReadOnlyList<TaskStream> Tasks { get; init; } = [];

    /// <summary>What the scenario asks of kmalloc, the slab caches and vmalloc.</summary>
    public KernelWorkload Kernel { get; init; } = KernelWorkload.None;

    /// <summary>The run-time knobs of /proc/sys and /sys/kernel/mm (numasim.sysctl).</summary>
    public SysctlSettings Sysctl { get; init; } = SysctlSettings.Default;

    /// <summary>The page allocator's setup for this scenario's machine and knobs (the weighted-interleave weights).</summary>
    public PageAllocatorSetup AllocatorSetup() => new(Topology) { InterleaveWeights = Sysctl.InterleaveWeights };

    /// <summary>
    /// Parts of the scenario the simulator reads but does not model yet, one line each: a run says them rather
    /// than quietly leaving them out.
    /// </summary>
    public IReadOnlyList<string> NotModelled { get; init; } = [];

    /// <summary>How a run over several processes places the nodes (numasim.cluster).</summary>
    public ClusterOptions Cluster { get; init; } = ClusterOptions.Default;

    /// <summary>The tasks that start on a CPU, with their global task ids (in stream order, then CPU order).</summary>
    public IEnumerable<(int TaskId, TaskStream Stream)> TasksStartingOn(int cpu)
    {
        var id = 0;
        foreach (var stream in Tasks)
        {
            foreach (var c in stream.Cpus)
            {
                if (c == cpu)
                {
                    yield return (id, stream);
                }
                id++;
            }
        }
    }

    /// <summary>
    /// A quantum wider than the lookahead runs global windows of that width (approximate, faster);
    /// otherwise each component runs to its own safe horizon (exact).
    /// </summary>
    public bool UsesQuantumWindows => QuantumNs > Latency.Lookahead;

    /// <summary>
    /// Whether any CPU can send to another: IPIs and migrations need a task that moves between
    /// CPUs, or a vfree, which flushes every CPU's TLB.
    /// </summary>
    public bool CpusTalkToEachOther => Tasks.Any(t => t.Moves) || Kernel.UsesVmalloc;

    /// <summary>The stream each CPU runs (the last stream naming a CPU wins), or null for an idle CPU.</summary>
    public WorkloadStream? StreamOf(int cpu) => Streams.LastOrDefault(s => s.Cpus.Contains(cpu));
}
