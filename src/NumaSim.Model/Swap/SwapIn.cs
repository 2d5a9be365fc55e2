using NumaSim.Model.Lru;
using NumaSim.Model.Topology;
using NumaSim.Model.Stats;

namespace NumaSim.Model.Swap;

/// <summary>
/// do_swap_page's swap half (mm/memory.c, mm/swap_state.c, mm/page_io.c), between the fault handler that found
/// a swap entry and the page table it maps the folio into: the folio is found in the swap cache, or a new page is
/// read into it (no readahead: page-cluster's neighbours are not read).
/// </summary>
public static class SwapIn
{
    /// <summary>
    /// The answer to the fault handler's SwapIn step (<see cref="Mmu.SwapInRequest"/>): the slot's folio in the swap
    /// cache, else the request's page with the slot read into it, else (no page yet) (-1, -1); the folio answered is
    /// counted mapped (<see cref="Mapped"/>). <paramref name="lruvecOf"/> gives a node's lruvec.
    /// </summary>
    public static (long Pfn, int Zone) Answer(SwapSpace swap, Func<int, Lruvec> lruvecOf, Mmu.SwapInRequest ask, VmEventCounters events)
    {
        ArgumentNullException.ThrowIfNull(swap);
        ArgumentNullException.ThrowIfNull(lruvecOf);
        var (pfn, zone) = swap.Lookup(ask.Slot);
        if (pfn < 0)
        {
            if (ask.Pfn < 0)
            {
                return (-1, -1);
            }
            ReadFolio(swap, lruvecOf(ZoneIndex.Node(ask.Zone)), ask.Slot, ask.Pfn, ask.Zone, events);
            (pfn, zone) = (ask.Pfn, ask.Zone);
        }
        Mapped(swap, ask.Slot, pfn, ask.Write);
        return (pfn, zone);
    }

    /// <summary>
    /// __read_swap_cache_async and swap_read_folio: the new page <paramref name="pfn"/> joins the swap cache under
    /// <paramref name="slot"/> and its node's LRU as a faulted folio, a refault of the shadow the slot held
    /// (workingset_refault_anon ...); the read counts pswpin and makes the fault major (pgmajfault).
    /// </summary>
    public static void ReadFolio(SwapSpace swap, Lruvec lruvec, long slot, long pfn, int zone, VmEventCounters events) =>
        AddToLru(lruvec, pfn, zone, ReadIntoCache(swap, slot, pfn, zone, events));

    /// <summary>
    /// The swap area's half of <see cref="ReadFolio"/>: the page joins the swap cache and is read (pswpin,
    /// pgmajfault). Returns the shadow entry the slot held (-1: none), for the LRU's owner.
    /// </summary>
    public static long ReadIntoCache(SwapSpace swap, long slot, long pfn, int zone, VmEventCounters events)
    {
        ArgumentNullException.ThrowIfNull(swap);
        ArgumentNullException.ThrowIfNull(events);
        var shadow = swap.AddReadFolio(slot, pfn, zone);
        events.Count(VmEventItem.Pswpin);
        events.Count(VmEventItem.Pgmajfault);
        return shadow;
    }

    /// <summary>The LRU's half of <see cref="ReadFolio"/>: the folio joins as a faulted one, a refault of <paramref name="shadow"/>.</summary>
    public static void AddToLru(Lruvec lruvec, long pfn, int zone, long shadow)
    {
        ArgumentNullException.ThrowIfNull(lruvec);
        lruvec.Add(pfn, (int)ZoneIndex.Type(zone), LruType.Anon, 0, LruAdd.Fault);
        if (shadow >= 0)
        {
            lruvec.Refault(pfn, shadow, inFault: true);
        }
    }

    /// <summary>
    /// The folio is mapped in place of the swap entry: the entry's hold on the slot goes (swap_free), and a write
    /// fault, or swap more than half full, takes the folio out of the swap cache so that its slot is free again
    /// (should_try_to_free_swap, folio_free_swap); a read fault leaves it cached, its slot still held. Returns whether the folio left the swap cache.
    /// </summary>
    public static bool Mapped(SwapSpace swap, long slot, long pfn, bool write)
    {
        ArgumentNullException.ThrowIfNull(swap);
        swap.SwapFree(slot);
        if ((!write && !swap.Full) || swap.Count(slot) > 0)
        {
            return false;
        }
        swap.DeleteFromSwapCache(pfn, -1);
        return true;
    }
}
