using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Results;

/// <summary>Free pages in blocks of each order (summed over zones) and each zone's free pages against its watermarks, at one simulated time.</summary>
public sealed record TimelinePoint(long SimulatedNs, IReadOnlyList<long> FreePagesByOrder)
{
    public IReadOnlyList<ZonePoint> Zones { get; init; } = [];

    /// <summary>Each node's page-cache and anonymous pages (nr_file_pages, nr_anon_pages).</summary>
    public IReadOnlyList<NodePoint> Nodes { get; init; } = [];

    /// <summary>Pages reclaim took so far: by kswapd and by allocating tasks (pgsteal_kswapd, pgsteal_direct).</summary>
    public (long Kswapd, long Direct) Reclaimed { get; init; }

    /// <summary>The point a whole machine's state shows.</summary>
    public static TimelinePoint Of(MachineSnapshot machine, long simulatedNs)
    {
        ArgumentNullException.ThrowIfNull(machine);
        return Of(
            simulatedNs,
            [.. machine.Zones.Select(ZoneSample.Of)],
            [.. machine.Nodes.OrderBy(n => n.Node).Select(n => new NodePoint(
                n.Node, n.NodeStats[NodeStatItem.NrFilePages], n.NodeStats[NodeStatItem.NrAnonPages]))],
            (machine.VmEvents[VmEventItem.PgstealKswapd], machine.VmEvents[VmEventItem.PgstealDirect]));
    }

    /// <summary>
    /// The point from what the timeline takes of each zone (in node, then zone order), each node's pages and the
    /// pages reclaimed: what a run samples without folding the whole machine's state.
    /// </summary>
    public static TimelinePoint Of(long simulatedNs, IReadOnlyList<ZoneSample> zones, IReadOnlyList<NodePoint> nodes, (long Kswapd, long Direct) reclaimed)
    {
        ArgumentNullException.ThrowIfNull(zones);
        var orders = zones.Count == 0 ? 0 : zones.Max(z => z.FreePagesByOrder.Count);
        var byOrder = new long[orders];
        foreach (var zone in zones)
        {
            for (var o = 0; o < zone.FreePagesByOrder.Count; o++)
            {
                byOrder[o] += zone.FreePagesByOrder[o];
            }
        }
        return new TimelinePoint(simulatedNs, byOrder)
        {
            Zones = [.. zones.Where(z => z.Managed > 0).Select(z => new ZonePoint(z.Node, z.Type.KernelName(), z.FreePages, z.Min, z.Low, z.High))],
            Nodes = nodes,
            Reclaimed = reclaimed,
        };
    }
}

/// <summary>
/// What the timeline takes of one zone: its free pages in blocks of each order (blocks times their pages), its free
/// pages and its min/low/high watermarks (with any boost, as zoneinfo prints them).
/// </summary>
public sealed record ZoneSample(int Node, ZoneType Type, long Managed, long FreePages, long Min, long Low, long High, IReadOnlyList<long> FreePagesByOrder)
{
    public static ZoneSample Of(ZoneSnapshot zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var orders = zone.FreeBlocks.Length == 0 ? 0 : zone.FreeBlocks[0].Length;
        return new ZoneSample(
            zone.Node,
            zone.Type,
            zone.Spec.Managed,
            zone.FreePages,
            zone.Watermarks.Get(WatermarkKind.Min),
            zone.Watermarks.Get(WatermarkKind.Low),
            zone.Watermarks.Get(WatermarkKind.High),
            [.. Enumerable.Range(0, orders).Select(o => zone.FreeBlocksAtOrder(o) << o)]);
    }
}

/// <summary>One node's page-cache and anonymous pages.</summary>
public sealed record NodePoint(int Node, long FilePages, long AnonPages);

/// <summary>One populated zone's free pages and its min/low/high watermarks (with any boost, as zoneinfo prints them).</summary>
public sealed record ZonePoint(int Node, string Zone, long FreePages, long Min, long Low, long High);
