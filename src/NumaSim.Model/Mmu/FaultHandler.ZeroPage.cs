using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Mmu;

/// <summary>
/// The shared zero page (mm/memory.c): a read of untouched anonymous memory maps the kernel's one zero page
/// read-only and allocates nothing (do_anonymous_page); a later write faults again and gets a page of its own
/// (do_wp_page, wp_page_copy), flushing the old entry from every TLB that may hold it. The zero page lives in the
/// kernel image, on node 0.
/// </summary>
public sealed partial class FaultHandler
{
    private const int ZeroPageNode = 0;

    /// <summary>The mask a page of an anonymous mapping is allocated with: a zero-page fault's span carries it, though it needed none.</summary>
    private const Gfp AnonGfp = Gfp.HighUserMovable | Gfp.Zero;

    private AllocationStep _cowPage;
    private Pte _cowPte;

    private long ZeroPfn => _topology.Nodes[ZeroPageNode].Zones[0].StartPfn;

    /// <summary>The read fault's page tables are in place: the entry maps the zero page.</summary>
    private FaultStep MapZeroPage()
    {
        var mm = _task!.Mm!;
        foreach (var (_, tableNode) in _tables)
        {
            NodeStats.PageTable(tableNode, 1);
        }
        var pte = new Pte(ZeroPfn, ZeroPageNode, PteFlags.Present | PteFlags.Read | PteFlags.User | PteFlags.Accessed | PteFlags.Special);
        mm.Map(_vpn, pte, _tables);
        _tlb.Insert(mm.Id, _vpn, pte);
        _now += _access.Price(ZeroPageNode, write: false, _now);
        _fault.Record(_now - _start);
        return Done(FaultResult.Fault, ZeroPageNode, pte.Pfn, 0, AnonGfp, false);
    }

    /// <summary>A write to the zero page's entry: a zeroed page by the mapping's policy replaces it.</summary>
    private FaultStep CopyOnWrite()
    {
        _now += _latency.FaultEntryNs;
        Faults++;
        _events.CountFault();
        var vma = _task!.Mm!.Find(_vpn)!;
        _tables.Clear();
        _request = new AllocationRequest(0, AnonGfp, PolicyOf(vma)) { InterleaveIndex = _vpn - vma.StartVpn };
        return AllocateTaskPage(_request, State.CowPage);
    }

    private FaultStep OnCowPage(AllocationStep step)
    {
        if (step.Kind != AllocationStepKind.Allocated)
        {
            return FaultFailed();
        }
        var mm = _task!.Mm!;
        _now += _latency.PageZeroNs;
        var node = ZoneIndex.Node(step.Zone);
        NodeStats.Anon(step.Zone, 1);
        AddedToLru(step.Zone, step.Pfn, 0, _vpn);
        var pte = new Pte(step.Pfn, node, PteFlags.Present | PteFlags.Read | PteFlags.Write | PteFlags.User | PteFlags.Accessed | PteFlags.Dirty);
        mm.ReplaceZeroPage(_vpn, pte);
        (_cowPage, _cowPte) = (step, pte);
        // ptep_clear_flush: the read-only entry goes from every TLB that may hold it before the new one is used.
        return Shootdown([_vpn], State.CowFlushed);
    }

    private FaultStep OnCowFlushed()
    {
        var mm = _task!.Mm!;
        _tlb.Insert(mm.Id, _vpn, _cowPte);
        _now += _access.Price(_cowPte.Node, write: true, _now);
        _fault.Record(_now - _start);
        return Done(FaultResult.Fault, _cowPte.Node, _cowPage.Pfn, 0, _request!.Gfp, false);
    }
}
