using NumaSim.Model.Stats;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Topology;
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

/// <summary>Free pages in blocks of each order (summed over zones) and each zone's free pages against its watermarks, at one simulated time.</summary>
public sealed record TimelinePoint(long SimulatedNs, IReadOnlyList<long> FreePagesByOrder)
{
    public IReadOnlyList<ZonePoint> Zones { get; init; } = [];

    /// <summary>Each node's page-cache and anonymous pages (nr_file_pages, nr_anon_pages).</summary>
    public IReadOnlyList<NodePoint> Nodes { get; init; } = [];

    /// <summary>Pages reclaim took so far: by kswapd and by allocating tasks (pgsteal_kswapd, pgsteal_direct).</summary>
    public (long Kswapd, long Direct) Reclaimed { get; init; }

    public static TimelinePoint Of(MachineSnapshot machine, long simulatedNs)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var zones = machine.Zones.ToList();
        var orders = zones.Count == 0 ? 0 : zones.Max(z => z.FreeBlocks.Length == 0 ? 0 : z.FreeBlocks[0].Length);
        return new TimelinePoint(simulatedNs, [.. Enumerable.Range(0, orders).Select(o => zones.Sum(z => o < z.FreeBlocks[0].Length ? z.FreeBlocksAtOrder(o) << o : 0))])
        {
            Zones = [.. zones.Where(z => z.Spec.Managed > 0).Select(z => new ZonePoint(
                z.Node,
                z.Type.KernelName(),
                z.FreePages,
                z.Watermarks.Get(WatermarkKind.Min),
                z.Watermarks.Get(WatermarkKind.Low),
                z.Watermarks.Get(WatermarkKind.High)))],
            Nodes = [.. machine.Nodes.OrderBy(n => n.Node).Select(n => new NodePoint(
                n.Node, n.NodeStats[NodeStatItem.NrFilePages], n.NodeStats[NodeStatItem.NrAnonPages]))],
            Reclaimed = (machine.VmEvents[VmEventItem.PgstealKswapd], machine.VmEvents[VmEventItem.PgstealDirect]),
        };
    }
}

/// <summary>One node's page-cache and anonymous pages.</summary>
public sealed record NodePoint(int Node, long FilePages, long AnonPages);

/// <summary>One populated zone's free pages and its min/low/high watermarks (with any boost, as zoneinfo prints them).</summary>
public sealed record ZonePoint(int Node, string Zone, long FreePages, long Min, long Low, long High);
