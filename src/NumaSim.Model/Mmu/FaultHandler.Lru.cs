namespace NumaSim.Model.Mmu;

/// <summary>
/// The fault handler's side of the LRU and of reclaim's reverse map: the folio a fault mapped new, which the driver
/// puts on its node's LRU (folio_add_lru_vma), and try_to_unmap_one on this CPU's page tables, which reclaim asks
/// for when it writes an anonymous folio to swap.
/// </summary>
public sealed partial class FaultHandler
{
    private readonly List<int> _unmapWalk = [];
    private MappedFolios _newFolios = new();
    private MappedFolios _takenFolios = new();

    /// <summary>The virtual page of the operation in flight (the fault a SwapIn step belongs to).</summary>
    public long Vpn => _vpn;

    /// <summary>
    /// The anonymous folios the last operation mapped new (do_anonymous_page, wp_page_copy, a migration's
    /// destination), once: each one's pfn, zone, order and the virtual page that maps it; empty when it mapped none
    /// (a TLB hit, the zero page, a swap-in, whose folio the swap area's owner put on the LRU). The list holds until
    /// the next call: every fault asks, so it is not copied.
    /// </summary>
    public MappedFolios TakeNewFolios()
    {
        (_takenFolios, _newFolios) = (_newFolios, _takenFolios);
        _newFolios.Clear();
        return _takenFolios;
    }

    private void AddedToLru(int zone, long pfn, int order, long vpn) => _newFolios.Add(pfn, zone, order, vpn);

    /// <summary>
    /// try_to_unmap_one for a base page: if the task's entry at <paramref name="vpn"/> still maps
    /// <paramref name="pfn"/>, it becomes the swap entry of <paramref name="slot"/>, this CPU's TLB drops it and
    /// NR_ANON_MAPPED falls. Returns whether it was unmapped, and the other CPUs whose TLBs may hold the entry (the
    /// driver sends them the flush).
    /// </summary>
    public (bool Unmapped, IReadOnlyList<int> FlushCpus) TryToUnmap(IMmTask task, long vpn, long pfn, long slot)
    {
        ArgumentNullException.ThrowIfNull(task);
        var mm = task.Mm!;
        var pte = mm.PageTable.Walk(vpn, _unmapWalk);
        if (pte is not { } present || present.Huge || present.ZeroPage || present.Pfn != pfn)
        {
            return (false, []);
        }
        mm.UnmapToSwap(vpn, slot);
        Invalidate(mm.Id, vpn);
        NodeStats.Anon(ZoneOfPfn(present.Node, pfn), -1);
        return (true, [.. mm.CpusThatMayCache.Where(c => c != _cpu)]);
    }
}
