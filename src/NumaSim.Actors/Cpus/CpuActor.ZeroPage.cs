using NumaSim.Actors.Observation;
using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// The shared zero page (mm/memory.c): a read of untouched anonymous memory maps the kernel's one zero page
/// read-only and allocates nothing (do_anonymous_page); a later write faults again and gets a page of its own
/// (do_wp_page, wp_page_copy), flushing the old entry from every TLB that may hold it. The zero page lives in the
/// kernel image, on node 0.
/// </summary>
public sealed partial class CpuActor
{
    private const int ZeroPageNode = 0;
    private Action<AllocationStep>? _onCopyOnWrite;

    private long ZeroPfn => _topology.Nodes[ZeroPageNode].Zones[0].StartPfn;

    /// <summary>The read fault's page tables are in place: the entry maps the zero page.</summary>
    private void MapZeroPage()
    {
        var (task, vpn, start) = (_faultTask!, _faultVpn, _faultStart);
        var mm = task.Mm!;
        foreach (var (_, tableNode) in _faultTables)
        {
            _nodeStats.PageTable(tableNode, 1);
        }
        var pte = new Pte(ZeroPfn, ZeroPageNode, PteFlags.Present | PteFlags.Read | PteFlags.User | PteFlags.Accessed | PteFlags.Special);
        mm.Map(vpn, pte, _faultTables);
        _tlb.Insert(mm.Id, vpn, pte);
        _now += _latency.Dram(_topology.DistanceBetween(Node, ZeroPageNode));
        // The fault's span carries the mask a page of this mapping is allocated with, though the zero page needed none.
        _allocGfp = Gfp.HighUserMovable | Gfp.Zero;
        RecordAccess(AccessKinds.Fault, start, ZeroPageNode, pte.Pfn, 0);
        if (Observed)
        {
            Observe(new PageFaulted(_now, _cpu, task.Id, vpn << _topology.Arch.Paging.PageShift, ZeroPageNode, false));
        }
        FinishAccess(task, "fault", start);
    }

    /// <summary>A write to the zero page's entry: a zeroed page by the mapping's policy replaces it.</summary>
    private void CopyOnWrite(SimTask task, long vpn, long start)
    {
        _now += _latency.FaultEntryNs;
        _faults++;
        _allocator.Events.CountFault();
        var vma = task.Mm!.Find(vpn)!;
        (_faultTask, _faultVpn, _faultStart) = (task, vpn, start);
        _faultTables.Clear();
        _faultRequest = new AllocationRequest(0, Gfp.HighUserMovable | Gfp.Zero, vma.Policy) { InterleaveIndex = vpn - vma.StartVpn };
        AllocateTaskPage(_faultRequest, _onCopyOnWrite ??= OnCopyOnWritePage);
    }

    private void OnCopyOnWritePage(AllocationStep step)
    {
        var (task, vpn, start) = (_faultTask!, _faultVpn, _faultStart);
        if (step.Kind != AllocationStepKind.Allocated)
        {
            FaultFailed(task, _faultTables, start);
            return;
        }
        var mm = task.Mm!;
        _now += _latency.PageZeroNs;
        var node = ZoneIndex.Node(step.Zone);
        _nodeStats.Anon(node, 1);
        var pte = new Pte(step.Pfn, node, PteFlags.Present | PteFlags.Read | PteFlags.Write | PteFlags.User | PteFlags.Accessed | PteFlags.Dirty);
        mm.ReplaceZeroPage(vpn, pte);
        _allocGfp = _faultRequest!.Gfp;
        // ptep_clear_flush: the read-only entry goes from every TLB that may hold it before the new one is used.
        Shootdown(task, [vpn], () =>
        {
            _tlb.Insert(mm.Id, vpn, pte);
            _now += _latency.Dram(_topology.DistanceBetween(Node, node));
            RecordAccess(AccessKinds.Fault, start, node, step.Pfn, 0);
            if (Observed)
            {
                Observe(new PageFaulted(_now, _cpu, task.Id, vpn << _topology.Arch.Paging.PageShift, node, false));
            }
            FinishAccess(task, "fault", start);
        });
    }
}
