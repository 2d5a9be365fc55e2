using NumaSim.Model.Topology;

namespace NumaSim.Model.Stats;

/// <summary>The vm_event_item counters one CPU keeps (count_vm_event), folded over CPUs when the machine's state is taken.</summary>
public sealed class VmEventCounters
{
    private readonly long[] _events = new long[Counters<VmEventItem>.Count];

    public long this[VmEventItem item] => _events[(int)item];

    public void Count(VmEventItem item, long delta = 1) => _events[(int)item] += delta;

    /// <summary>Faults that reached the handler (handle_mm_fault): every demand fault.</summary>
    public void CountFault() => Count(VmEventItem.Pgfault);

    public void CountThpFault(bool allocated) => Count(allocated ? VmEventItem.ThpFaultAlloc : VmEventItem.ThpFaultFallback);

    /// <summary>Tasks the OOM killer killed (oom_kill).</summary>
    public void CountOomKill() => Count(VmEventItem.OomKill);

    /// <summary>PGALLOC_DMA + zone, as __count_zid_vm_events counts it.</summary>
    public void CountAlloc(ZoneType zone, int order) => Count(VmEventItem.PgallocDma + (int)zone, 1L << order);

    public void CountFree(int order) => Count(VmEventItem.Pgfree, 1L << order);

    public void CountAllocStall(ZoneType highestZone) => Count(VmEventItem.AllocstallDma + (int)highestZone);

    /// <summary>allocstall_* over every zone: direct reclaim entered.</summary>
    public long AllocStalls()
    {
        var total = 0L;
        foreach (var zone in ZoneTypes.All)
        {
            total += this[VmEventItem.AllocstallDma + (int)zone];
        }
        return total;
    }

    public Counters<VmEventItem> Snapshot() => new([.. _events]);
}
