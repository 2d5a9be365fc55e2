using NumaSim.Model.Stats;

namespace NumaSim.Model.Mmu;

/// <summary>
/// split_huge_page's side on this CPU's page tables (mm/huge_memory.c): reclaim on a node's kswapd could not swap a
/// huge anonymous folio whole and splits it; here the task's huge entry gives way to its deposited PTE table
/// (split_huge_pmd: thp_split_pmd; NR_ANON_THPS falls, NR_ANON_MAPPED stays), this CPU's TLB drops the huge entry and
/// the other CPUs that may cache it are flushed. The driver splits the page allocator's block (split_page) and hands
/// the pages back to reclaim, which swaps them one by one. Runs whole, as an interrupt does.
/// </summary>
public sealed partial class FaultHandler
{
    /// <summary>
    /// Splits the huge entry mapping <paramref name="vpn"/> of <paramref name="task"/>, if it still maps the folio at
    /// <paramref name="pfn"/>. Returns whether it did (thp_split_page counted too) and the CPUs to flush.
    /// </summary>
    public (bool Split, IReadOnlyList<int> FlushCpus) SplitHugePage(IMmTask task, long vpn, long pfn)
    {
        ArgumentNullException.ThrowIfNull(task);
        var mm = task.Mm!;
        var head = vpn & ~(long)(mm.Mode.HugePages - 1);
        if (mm.PageTable.HugeLeaf(head) is not { } huge || huge.Pfn != pfn || mm.SplitHugePmd(head) is null)
        {
            return (false, []);
        }
        Invalidate(mm.Id, head);
        _events.Count(VmEventItem.ThpSplitPmd);
        _events.Count(VmEventItem.ThpSplitPage);
        NodeStats.AnonHuge(huge.Node, -mm.Mode.HugePages);
        return (true, [.. mm.CpusThatMayCache.Where(c => c != _cpu)]);
    }
}
