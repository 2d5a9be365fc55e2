namespace NumaSim.Actors.Engine;

/// <summary>
/// Ids of simulated components: zones by their zone index, CPUs above them, each CPU's slab
/// front-end above those. Ids order events that tie in time. CPUs and slab front-ends are both
/// "CPU side" to the clock: they ask zones and wait for answers.
/// </summary>
public static class ComponentIds
{
    public const int CpuBase = 1 << 20;

    public const int SlabBase = 2 << 20;

    /// <summary>Per-node kernel threads (kswapd, owning the node's lruvec), above every CPU-side id and random stream.</summary>
    public const int KswapdBase = 8 << 20;

    /// <summary>The page cache: the files' address spaces.</summary>
    public const int PageCache = 9 << 20;

    /// <summary>The OOM killer: oom_lock, the walk over every CPU's tasks, the victim's choice.</summary>
    public const int OomKiller = 10 << 20;
    /// <summary>The swap area and its swap cache.</summary>
    public const int Swap = 11 << 20;

    public static int Zone(int zoneIndex) => zoneIndex;

    public static int Cpu(int cpu) => CpuBase + cpu;

    public static int Slab(int cpu) => SlabBase + cpu;

    public static int Kswapd(int node) => KswapdBase + node;

    /// <summary>The random stream of a slab front-end's workload (tasks draw from 2 &lt;&lt; 20 + task id).</summary>
    public static int SlabRandomStream(int cpu) => (3 << 20) + cpu;

    /// <summary>A CPU or a CPU's slab front-end.</summary>
    public static bool IsCpu(int id) => id >= CpuBase && id < KswapdBase;

    public static bool IsSlab(int id) => id >= SlabBase && id < KswapdBase;

    /// <summary>A kernel component that answers CPUs and also sends to zones and to other such components (kswapd, the page cache, swap).</summary>
    public static bool IsKernelService(int id) => id >= KswapdBase;

    /// <summary>The node that hosts a kernel service: a kswapd its own, the page cache, the OOM killer and the swap area the first node.</summary>
    public static int NodeOfService(int id, Model.Topology.MachineTopology topology) =>
        id is PageCache or OomKiller or Swap ? topology.Nodes[0].Id : id - KswapdBase;

    /// <summary>The CPU a CPU-side component belongs to.</summary>
    public static int CpuOf(int id) => id >= SlabBase ? id - SlabBase : id - CpuBase;
}
