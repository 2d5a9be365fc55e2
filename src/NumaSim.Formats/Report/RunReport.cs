using NumaSim.Model.Snapshots;

namespace NumaSim.Formats.Report;

/// <summary>What report.html shows: the final state, per-CPU counters, traffic, latency distributions and the timeline.</summary>
public sealed record RunReport(
    MachineSnapshot Machine,
    RunSummary Summary,
    IReadOnlyList<CpuCounters> Cpus,
    IReadOnlyList<IReadOnlyList<long>> Traffic,
    IReadOnlyDictionary<string, IReadOnlyList<(long Ns, long Count)>> Latency,
    IReadOnlyList<TimelinePoint> Timeline);

/// <summary>Free pages in blocks of each order (summed over zones) at one simulated time.</summary>
public sealed record TimelinePoint(long SimulatedNs, IReadOnlyList<long> FreePagesByOrder)
{
    public static TimelinePoint Of(MachineSnapshot machine, long simulatedNs)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var zones = machine.Zones.ToList();
        var orders = zones.Count == 0 ? 0 : zones.Max(z => z.FreeBlocks.Length == 0 ? 0 : z.FreeBlocks[0].Length);
        return new TimelinePoint(simulatedNs, [.. Enumerable.Range(0, orders).Select(o => zones.Sum(z => o < z.FreeBlocks[0].Length ? z.FreeBlocksAtOrder(o) << o : 0))]);
    }
}
