using NumaSim.Model.Stats;

namespace NumaSim.Model.Snapshots;

/// <summary>What one CPU contributes to the machine's state: its pagesets and per-zone NUMA events, and its vm events.</summary>
public sealed record CpuReport(
    int Cpu,
    IReadOnlyDictionary<int, PagesetSnapshot> Pagesets,
    IReadOnlyDictionary<int, NumaEvents> Numa,
    Counters<VmEventItem> VmEvents)
{
    /// <summary>
    /// This CPU's report with another of the same CPU (its slab front-end's page lists): pages on
    /// per-CPU lists, NUMA events and vm events add up; of the two highs the one of the list in use shows
    /// (an untouched list's is 0).
    /// </summary>
    public CpuReport Plus(CpuReport other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var pagesets = new Dictionary<int, PagesetSnapshot>(Pagesets);
        foreach (var (zone, p) in other.Pagesets)
        {
            pagesets[zone] = pagesets.TryGetValue(zone, out var mine) ? mine with { Count = mine.Count + p.Count, High = Math.Max(mine.High, p.High) } : p;
        }
        var numa = new Dictionary<int, NumaEvents>(Numa);
        foreach (var (zone, n) in other.Numa)
        {
            numa[zone] = numa.TryGetValue(zone, out var mine) ? mine.Add(n) : n;
        }
        return new CpuReport(Cpu, pagesets, numa, VmEvents.Plus(other.VmEvents));
    }
}
