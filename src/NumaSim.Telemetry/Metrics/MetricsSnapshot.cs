using NumaSim.Model.Stats;
using NumaSim.Model.Snapshots;
using NumaSim.Results;

namespace NumaSim.Telemetry.Metrics;

/// <summary>
/// The figures the observable instruments report, as they stood at one moment of the run. Built
/// by the coordinator's thread from a plain machine snapshot and handed over whole, so a scrape
/// on another thread never sees a half-updated set.
/// </summary>
public sealed record MetricsSnapshot(
    IReadOnlyList<(int Node, NumaEvents Numa)> Numastat,
    IReadOnlyList<CpuCounters> Cpus,
    IReadOnlyList<ZoneMetrics> Zones,
    IReadOnlyList<(string Cache, long ActiveObjects, long Objects)> Slabs,
    long Operations,
    long SimulatedNs,
    long AllocationFailures)
{
    public static MetricsSnapshot Empty { get; } = new([], [], [], [], 0, 0, 0);

    /// <summary>Latency by kind, in the buckets of <see cref="SimMetrics.LatencyBuckets"/>.</summary>
    public IReadOnlyList<LatencyMetrics> Latency { get; init; } = [];

    /// <summary>Memory-access latency by kind and node pair (the CPU's node, the page's node).</summary>
    public IReadOnlyList<NodePairLatencyMetrics> AccessLatency { get; init; } = [];

    /// <summary>Distributions keyed "kind|cpu node|page node", as the CPUs keep them, as metrics.</summary>
    public static IReadOnlyList<NodePairLatencyMetrics> ByNodePair(IReadOnlyDictionary<string, IReadOnlyList<(long Ns, long Count)>> distributions)
    {
        ArgumentNullException.ThrowIfNull(distributions);
        var metrics = new List<NodePairLatencyMetrics>();
        foreach (var (key, distribution) in distributions.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var parts = key.Split('|');
            metrics.Add(new NodePairLatencyMetrics(
                int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture),
                LatencyMetrics.Of(parts[0], distribution)));
        }
        return metrics;
    }

    /// <summary>Stream allocations served and failed by order and gfp class.</summary>
    public IReadOnlyList<AllocationClassCount> AllocationsByClass { get; init; } = [];

    /// <summary>Each node's LRU pages by list (inactive_anon, active_anon, inactive_file, active_file) and its file pages.</summary>
    public IReadOnlyList<NodeMemoryMetrics> NodeMemory { get; init; } = [];

    /// <summary>The machine's reclaim and OOM events: the vm events of memory pressure, by their /proc/vmstat name.</summary>
    public IReadOnlyList<(string Name, long Value)> Pressure { get; init; } = [];

    /// <summary>The migration and NUMA balancing events, by /proc/vmstat name.</summary>
    public IReadOnlyList<(string Name, long Value)> Migration { get; init; } = [];

    /// <param name="latency">Every kind's exact distribution, (ns, count); none: no latency figures.</param>
    public static MetricsSnapshot From(
        MachineSnapshot machine,
        RunSummary summary,
        IReadOnlyList<CpuCounters> cpus,
        IReadOnlyDictionary<string, IReadOnlyList<(long Ns, long Count)>>? latency = null)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(cpus);
        return new MetricsSnapshot(
            [.. machine.Topology.Nodes.Select(n => n.Id).Order().Select(n => (n, machine.Nodes.FirstOrDefault(s => s.Node == n)?.Numa ?? NumaEvents.Zero))],
            cpus,
            [.. machine.Zones.Select(z => new ZoneMetrics(
                z.Node,
                z.Type.ToString(),
                z.FreePages,
                z.Numa.Hit + z.Numa.Miss,
                [.. Enumerable.Range(0, z.FreeBlocks.Length == 0 ? 0 : z.FreeBlocks[0].Length).Select(z.FreeBlocksAtOrder)]))],
            [.. machine.SlabCaches.Select(c => (c.Name, c.ActiveObjects, c.NumObjects))],
            summary.Operations,
            summary.SimulatedNs,
            summary.Allocations.Failed + (summary.Kernel?.Failed ?? 0))
        {
            Latency = latency is null ? [] : [.. latency.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => LatencyMetrics.Of(k.Key, k.Value))],
            NodeMemory = [.. machine.Nodes.OrderBy(n => n.Node).Select(NodeMemoryMetrics.Of)],
            Pressure = [.. PressureEvents.Select(e => (e.Name, machine.VmEvents[e.Item]))],
            Migration = [.. MigrationEvents.Select(e => (e.Name, machine.VmEvents[e.Item])),
                .. PromotionItems.Select(e => (e.Name, machine.Nodes.Sum(n => n.Stat(e.Item))))],
        };
    }

    /// <summary>The vm events the pressure instruments report, by /proc/vmstat name.</summary>
    public static IReadOnlyList<(string Name, VmEventItem Item)> PressureEvents { get; } =
    [
        ("pgscan_kswapd", VmEventItem.PgscanKswapd), ("pgscan_direct", VmEventItem.PgscanDirect),
        ("pgsteal_kswapd", VmEventItem.PgstealKswapd), ("pgsteal_direct", VmEventItem.PgstealDirect),
        ("pageoutrun", VmEventItem.Pageoutrun), ("allocstall_normal", VmEventItem.AllocstallNormal),
        ("allocstall_movable", VmEventItem.AllocstallMovable), ("allocstall_dma32", VmEventItem.AllocstallDma32),
        ("pswpin", VmEventItem.Pswpin), ("pswpout", VmEventItem.Pswpout), ("oom_kill", VmEventItem.OomKill),
    ];

    /// <summary>The node items the migration instrument reports too, summed over the nodes: memory tiering's promotions.</summary>
    public static IReadOnlyList<(string Name, NodeStatItem Item)> PromotionItems { get; } =
    [
        ("pgpromote_success", NodeStatItem.PgpromoteSuccess), ("pgpromote_candidate", NodeStatItem.PgpromoteCandidate),
        ("pgpromote_candidate_nrl", NodeStatItem.PgpromoteCandidateNrl),
    ];

    /// <summary>The vm events the migration instrument reports: NUMA balancing's scan and hinting faults, and page migration.</summary>
    public static IReadOnlyList<(string Name, VmEventItem Item)> MigrationEvents { get; } =
    [
        ("numa_pte_updates", VmEventItem.NumaPteUpdates), ("numa_hint_faults", VmEventItem.NumaHintFaults),
        ("numa_hint_faults_local", VmEventItem.NumaHintFaultsLocal), ("numa_pages_migrated", VmEventItem.NumaPagesMigrated),
        ("pgmigrate_success", VmEventItem.PgmigrateSuccess), ("pgmigrate_fail", VmEventItem.PgmigrateFail),
    ];
}

/// <summary>One node's pages on its LRU lists and in its page cache.</summary>
public sealed record NodeMemoryMetrics(int Node, long InactiveAnon, long ActiveAnon, long InactiveFile, long ActiveFile, long FilePages, long AnonPages)
{
    public static NodeMemoryMetrics Of(NodeSnapshot node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var s = node.NodeStats;
        return new NodeMemoryMetrics(node.Node, s[NodeStatItem.NrInactiveAnon], s[NodeStatItem.NrActiveAnon], s[NodeStatItem.NrInactiveFile],
            s[NodeStatItem.NrActiveFile], s[NodeStatItem.NrFilePages], s[NodeStatItem.NrAnonPages]);
    }
}

/// <summary>One kind's latencies: cumulative counts at most each bucket bound (the last is +Inf), the count and the sum.</summary>
public sealed record LatencyMetrics(string Kind, IReadOnlyList<long> Buckets, long Count, long SumNs)
{
    public static LatencyMetrics Of(string kind, IReadOnlyList<(long Ns, long Count)> distribution)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var bounds = SimMetrics.LatencyBuckets;
        var buckets = new long[bounds.Length + 1];
        foreach (var (ns, count) in distribution)
        {
            for (var i = 0; i < bounds.Length; i++)
            {
                if (ns <= bounds[i])
                {
                    buckets[i] += count;
                }
            }
            buckets[^1] += count;
        }
        return new LatencyMetrics(kind, buckets, distribution.Sum(d => d.Count), distribution.Sum(d => d.Ns * d.Count));
    }
}

/// <summary>One zone's free pages, its free blocks by order (buddyinfo: fragmentation) and the allocations it served.</summary>
public sealed record ZoneMetrics(int Node, string Zone, long FreePages, long Allocations, IReadOnlyList<long> FreeBlocksByOrder);

/// <summary>One access kind's latencies from CPUs of one node to pages of another (or the same).</summary>
public sealed record NodePairLatencyMetrics(int SrcNode, int DstNode, LatencyMetrics Latency);
