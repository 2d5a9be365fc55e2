using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Mmu;

/// <summary>
/// mmap and munmap (mm/mmap.c): a range's pages are freed after every TLB has dropped them, and fault back in on
/// next touch when the range is mapped again.
/// </summary>
public sealed partial class FaultHandler
{
    private readonly List<(long Vpn, Pte Pte)> _removed = [];
    private readonly Dictionary<long, (long Pfn, int Node)> _deposits = [];
    private long _rangePages;
    private MemPolicy _remapPolicy = MemPolicy.Default;
    private bool _remapHugepage;

    /// <summary>An anonymous mapping of bytes (the syscall's entry cost); returns its first page and its length in pages.</summary>
    public (long Vpn, long Pages) Mmap(IMmTask task, long bytes, MemPolicy policy, bool thp, ref long now)
    {
        ArgumentNullException.ThrowIfNull(task);
        var mm = task.Mm!;
        var pages = (bytes + _topology.Arch.PageSize - 1) >> _topology.Arch.PageShift;
        now += _latency.FaultEntryNs;
        return (mm.Mmap(pages, Protection.ReadWrite, policy, thp ? mm.Mode.HugePages : 1, thp), pages);
    }

    /// <summary>
    /// munmap of [first, first + pages) and a MAP_FIXED mapping of it again, read-write, by the old mapping's policy
    /// (or the given one where there was none).
    /// </summary>
    public FaultStep UnmapAndRemap(IMmTask task, long first, long pages, MemPolicy policy, bool hugepage, long now)
    {
        ArgumentNullException.ThrowIfNull(task);
        _task = task;
        _start = now;
        _now = now + _latency.FaultEntryNs;
        _vpn = first;
        _rangePages = pages;
        var mm = task.Mm!;
        _remapPolicy = mm.Find(first)?.Policy ?? policy;
        _remapHugepage = mm.Find(first)?.Hugepage ?? hugepage;
        _removed.Clear();
        _deposits.Clear();
        mm.Munmap(first, pages, _removed, _deposits);
        return Shootdown(RemovedVpns(), State.MunmapFlushed);
    }

    private FaultStep OnMunmapFlushed()
    {
        _frees.Clear();
        FreeUnmapped(_task!.Mm!);
        return FreeThen(State.MunmapFreed);
    }

    private FaultStep OnMunmapFreed()
    {
        _task!.Mm!.MmapFixed(_vpn, _rangePages, Protection.ReadWrite, _remapPolicy, _remapHugepage);
        _recorder.Record("munmap", _now - _start);
        return Done(FaultResult.Unmapped, -1, -1, 0, Gfp.None, false);
    }

    // The removed entries a TLB may hold (a swap entry is in none).
    private long[] RemovedVpns() => TlbVpns(_removed);

    private static long[] TlbVpns(List<(long Vpn, Pte Pte)> removed)
    {
        var vpns = new List<long>(removed.Count);
        foreach (var (vpn, pte) in removed)
        {
            if (!pte.IsSwap)
            {
                vpns.Add(vpn);
            }
        }
        return [.. vpns];
    }

    /// <summary>
    /// zap_pte_range / zap_huge_pmd, once every TLB has dropped the entries: each unmapped page goes back (the zero
    /// page is no one's), with the PTE table deposited beside a huge one; a swap entry's hold on its slot goes.
    /// </summary>
    private void FreeUnmapped(AddressSpace mm) => FreeUnmapped(mm, _removed, _deposits, _frees, _swapFrees);

    private void FreeUnmapped(AddressSpace mm, List<(long Vpn, Pte Pte)> removed, Dictionary<long, (long Pfn, int Node)> deposits,
        List<FreedBlock> frees, List<long> swapFrees)
    {
        swapFrees.Clear();
        foreach (var (vpn, pte) in removed)
        {
            if (pte.IsSwap)
            {
                swapFrees.Add(pte.Pfn);
                continue;
            }
            if (pte.ZeroPage)
            {
                continue;
            }
            var pages = pte.Huge ? mm.Mode.HugePages : 1;
            NodeStats.Anon(ZoneOfPfn(pte.Node, pte.Pfn), -pages);
            if (pte.Huge)
            {
                NodeStats.AnonHuge(pte.Node, -pages);
            }
            if (deposits.Remove(vpn, out var table))
            {
                NodeStats.PageTable(table.Node, -1);
                frees.Add(new FreedBlock(ZoneOfPfn(table.Node, table.Pfn), table.Pfn, 0, MigrateType.Unmovable, PageTable: true));
            }
            frees.Add(new FreedBlock(ZoneOfPfn(pte.Node, pte.Pfn), pte.Pfn, pte.Huge ? mm.Mode.HugeOrder : 0, MigrateType.Movable, PageTable: false));
        }
    }
}
