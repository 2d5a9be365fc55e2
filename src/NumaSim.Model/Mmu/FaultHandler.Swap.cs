using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Mmu;

/// <summary>
/// do_swap_page (mm/memory.c): a fault on a swap entry asks the owner of the swap area for the slot's folio in the
/// swap cache; without one it allocates a page by the mapping's policy and has the slot read into it; then it maps
/// the folio where the swap entry was, writable and dirty when the mapping is writable (the folio is the task's
/// own). Swap-in readahead is not modelled.
/// </summary>
public sealed partial class FaultHandler
{
    private readonly List<long> _swapFrees = [];
    private long _swapSlot;
    private bool _swapWrite;
    private AllocationStep _swapPage;
    private (long Pfn, int Zone) _swapFolio;

    /// <summary>What the last SwapIn step asks.</summary>
    public SwapInRequest SwapIn { get; private set; }

    /// <summary>
    /// The swap slots whose entries the last Free step's unmap dropped (zap_pte_range's free_swap_and_cache): the
    /// owner of the swap area frees each entry's hold on its slot (SwapSpace.SwapFree).
    /// </summary>
    public IReadOnlyList<long> SwapSlots => _swapFrees;

    /// <summary>
    /// The answer to a SwapIn step: the folio to map (its pfn and zone), or pfn -1 when the swap cache had none.
    /// <paramref name="now"/> is the clock when the answer came (after the device's read, for a page read in).
    /// </summary>
    public FaultStep ResumeSwap(long now, long pfn, int zone)
    {
        _now = now;
        return _state switch
        {
            State.SwapLookup when pfn < 0 => AllocateTaskPage(SwapPageRequest(), State.SwapPage),
            State.SwapLookup => MapSwapPage(pfn, zone),
            State.SwapRead when pfn == _swapPage.Pfn => MapSwapPage(pfn, zone),
            State.SwapRead => RaceLost(pfn, zone),
            _ => throw new InvalidOperationException($"the fault handler waits for {_state}, not a swapped page"),
        };
    }

    // The fault: swap_cache_get_folio first.
    private FaultStep SwapFault(bool write)
    {
        _now += _latency.FaultEntryNs;
        Faults++;
        _events.CountFault();
        _swapSlot = _task!.Mm!.PageTable.SwapEntry(_vpn)!.Value;
        _swapWrite = write;
        _tables.Clear();
        _huge = false;
        _request = null;
        return AskSwap(-1, -1, State.SwapLookup);
    }

    private FaultStep AskSwap(long pfn, int zone, State then)
    {
        _state = then;
        SwapIn = new SwapInRequest(_swapSlot, pfn, zone, _swapWrite);
        return new FaultStep(FaultStepKind.SwapIn, _now);
    }

    // alloc_swap_folio / swapin_readahead's page: GFP_HIGHUSER_MOVABLE by the mapping's policy.
    private AllocationRequest SwapPageRequest()
    {
        var vma = _task!.Mm!.Find(_vpn)!;
        _request = new AllocationRequest(0, Gfp.HighUserMovable, PolicyOf(vma)) { InterleaveIndex = _vpn - vma.StartVpn };
        return _request;
    }

    private FaultStep OnSwapPage(AllocationStep step)
    {
        if (step.Kind != AllocationStepKind.Allocated)
        {
            return FaultFailed();
        }
        _swapPage = step;
        return AskSwap(step.Pfn, step.Zone, State.SwapRead);
    }

    // Another fault read the slot in first (swapcache_prepare failed): its folio is mapped, this page goes back.
    private FaultStep RaceLost(long pfn, int zone)
    {
        _swapFolio = (pfn, zone);
        _frees.Clear();
        _frees.Add(new FreedBlock(_swapPage.Zone, _swapPage.Pfn, 0, MigrateType.Movable, PageTable: false));
        return FreeThen(State.SwapMapAfterFree);
    }

    private FaultStep OnSwapRaceFreed() => MapSwapPage(_swapFolio.Pfn, _swapFolio.Zone);

    private FaultStep MapSwapPage(long pfn, int zone)
    {
        var mm = _task!.Mm!;
        var vma = mm.Find(_vpn)!;
        var node = ZoneIndex.Node(zone);
        var writable = (vma.Protection & Protection.Write) != 0;
        var flags = PteFlags.Present | PteFlags.Read | PteFlags.User | PteFlags.Accessed | (writable ? PteFlags.Write | PteFlags.Dirty : PteFlags.None);
        var pte = new Pte(pfn, node, flags);
        NodeStats.Anon(zone, 1);
        mm.MapSwapped(_vpn, pte);
        _tlb.Insert(mm.Id, _vpn, pte);
        _now += _latency.Dram(_topology.DistanceBetween(_node, node));
        _fault.Record(_now - _start);
        return Done(FaultResult.Fault, node, pfn, 0, _request?.Gfp ?? Gfp.None, false);
    }
}
