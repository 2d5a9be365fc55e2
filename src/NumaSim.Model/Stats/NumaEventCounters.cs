using NumaSim.Model.Snapshots;

namespace NumaSim.Model.Stats;

/// <summary>Per-zone NUMA event counters kept by one CPU (the kernel's per-CPU vm_numa_event).</summary>
public sealed class NumaEventCounters
{
    private const int Items = 6;
    private const int Hit = 0, Miss = 1, Foreign = 2, InterleaveHit = 3, Local = 4, Other = 5;
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
            _counts[servedZone * Items + Hit]++;
        }
        else
        {
            _counts[servedZone * Items + Miss]++;
            _counts[preferredZone * Items + Foreign]++;
        }
        _counts[servedZone * Items + (servedNode == cpuNode ? Local : Other)]++;
    }

    public void CountInterleaveHit(int servedZone) => _counts[servedZone * Items + InterleaveHit]++;

    public NumaEvents ForZone(int zone)
    {
        var b = zone * Items;
        return new NumaEvents(_counts[b + Hit], _counts[b + Miss], _counts[b + Foreign], _counts[b + InterleaveHit], _counts[b + Local], _counts[b + Other]);
    }
}
