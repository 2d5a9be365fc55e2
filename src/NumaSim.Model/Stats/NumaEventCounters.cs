using NumaSim.Model.Snapshots;

namespace NumaSim.Model.Stats;

/// <summary>Per-zone NUMA event counters kept by one CPU (the kernel's per-CPU vm_numa_event).</summary>
public sealed class NumaEventCounters
{
    private static readonly int Items = Counters<NumaStatItem>.Count;
    private readonly long[] _counts;

    public NumaEventCounters(int zoneSlots) => _counts = new long[zoneSlots * Items];

    /// <summary>
    /// zone_statistics: hit on the serving zone if it is on the preferred zone's node, else miss
    /// there and foreign on the preferred zone; then local or other by the allocating CPU's node.
    /// </summary>
    public void CountAllocation(int preferredZone, int preferredNode, int servedZone, int servedNode, int cpuNode)
    {
        if (servedNode == preferredNode)
        {
            Count(servedZone, NumaStatItem.NumaHit);
        }
        else
        {
            Count(servedZone, NumaStatItem.NumaMiss);
            Count(preferredZone, NumaStatItem.NumaForeign);
        }
        Count(servedZone, servedNode == cpuNode ? NumaStatItem.NumaLocal : NumaStatItem.NumaOther);
    }

    public void CountInterleaveHit(int servedZone) => Count(servedZone, NumaStatItem.NumaInterleave);

    public NumaEvents ForZone(int zone) => NumaEvents.Of(new Counters<NumaStatItem>(_counts[(zone * Items)..((zone + 1) * Items)]));

    private void Count(int zone, NumaStatItem item) => _counts[zone * Items + (int)item]++;
}
