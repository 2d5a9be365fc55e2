using NumaSim.Model.Snapshots;

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

    public static MetricsSnapshot From(MachineSnapshot machine, RunSummary summary, IReadOnlyList<CpuCounters> cpus)
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
            summary.Allocations.Failed + (summary.Kernel?.Failed ?? 0));
    }
}

/// <summary>One zone's free pages, its free blocks by order (buddyinfo: fragmentation) and the allocations it served.</summary>
public sealed record ZoneMetrics(int Node, string Zone, long FreePages, long Allocations, IReadOnlyList<long> FreeBlocksByOrder);
