using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Results;

namespace NumaSim.Actors.Messages;

/// <summary>Ask for the final state of a node and its components.</summary>
public sealed record CollectState : ISimMessage
{
    public static CollectState Instance { get; } = new();
}

/// <summary>What a CPU ran: counters, latencies, and its share of the machine state.</summary>
public sealed record CpuState(CpuReport Report, LatencySnapshot Latency, long Allocations, long Served, long Failed, long Frees, long RemoteServed, long Operations) : ISimMessage
{
    public TlbCounts Tlb { get; init; } = new(0, 0);

    public MmuTotals Mmu { get; init; } = MmuTotals.Zero;

    /// <summary>Changes this CPU made to per-node vmstat items, by node id.</summary>
    public IReadOnlyList<Counters<NodeStatItem>> NodeStats { get; init; } = [];

    /// <summary>zone_stat_item deltas by zone index (the zone-level LRU items).</summary>
    public IReadOnlyList<Counters<ZoneStatItem>> ZoneStats { get; init; } = [];

    public IReadOnlyList<SimError> Errors { get; init; } = [];

    /// <summary>The CPU's simulated time when the run ended.</summary>
    public long Clock { get; init; }

    /// <summary>Memory accesses and stream allocations this CPU made, by the node of the page (node-to-node traffic).</summary>
    public IReadOnlyList<long> AccessesByNode { get; init; } = [];

    /// <summary>Access latency by "kind|cpu node|page node", when the run asked for it.</summary>
    public LatencySnapshot? LatencyByNodePair { get; init; }

    /// <summary>Stream allocations served and failed by order and gfp class.</summary>
    public IReadOnlyList<AllocationClassCount> AllocationsByClass { get; init; } = [];
}

public sealed record ZoneState(ZoneSnapshot Snapshot) : ISimMessage;

public sealed record NodeState(int Node, IReadOnlyList<ZoneState> Zones, IReadOnlyList<CpuState> Cpus) : ISimMessage
{
    /// <summary>The slab front-ends of the node's CPUs (none when the scenario makes no kernel allocations).</summary>
    public IReadOnlyList<SlabState> Slabs { get; init; } = [];

    /// <summary>The node's kernel services: its kswapd, and the page cache on the node that hosts it.</summary>
    public IReadOnlyList<ReclaimState> Services { get; init; } = [];
}

/// <summary>
/// What a CPU's slab front-end ran: its caches' slabinfo rows, the page allocations it made for
/// slab pages (per-CPU lists and numastat, folded into the CPU's), its per-node slab pages,
/// counters, latencies and the kernel bugs it detected.
/// </summary>
public sealed record SlabState(
    int Cpu,
    CpuReport Pages,
    IReadOnlyList<SlabCacheSnapshot> Caches,
    LatencySnapshot Latency,
    KernelTotals Totals,
    IReadOnlyList<Counters<NodeStatItem>> NodeStats,
    IReadOnlyList<SimError> Errors,
    long Operations,
    long Clock) : ISimMessage
{
    /// <summary>This CPU's slice of the vmalloc area, when it made vmalloc calls.</summary>
    public VmallocSnapshot? Vmalloc { get; init; }

    /// <summary>TLB-flush IPIs its vfree calls sent.</summary>
    public long Ipis { get; init; }
}

/// <summary>Ask a slab front-end, between rounds, for its slabinfo rows as they stand.</summary>
public sealed record PeekSlabs : ISimMessage
{
    public static PeekSlabs Instance { get; } = new();
}

/// <summary>A slab front-end's slabinfo rows in the middle of a run.</summary>
public sealed record SlabPeek(int Cpu, IReadOnlyList<SlabCacheSnapshot> Caches) : ISimMessage;

/// <summary>
/// What a kernel service (a node's kswapd and lruvec, the page cache) counted: vm events, per-node items by node id
/// and zone items by zone index.
/// </summary>
public sealed record ReclaimState(
    int Component,
    Counters<VmEventItem> Events,
    IReadOnlyList<Counters<NodeStatItem>> NodeStats,
    IReadOnlyList<Counters<ZoneStatItem>> ZoneStats) : ISimMessage
{
    /// <summary>The swap slots still free, from the swap area's owner (null from every other service).</summary>
    public long? SwapFreePages { get; init; }
}
