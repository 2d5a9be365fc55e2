using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.Lru;
using NumaSim.Model.Swap;
using NumaSim.Model.Topology;

namespace NumaSim.Actors.Reclaim;

/// <summary>
/// Anonymous folios on this node's lruvec, and, when the machine swaps, reclaim's reverse map and swap-out as
/// messages. CPUs send the folios their faults map (with the task and virtual page that map each) and the ones
/// they free. Reclaim that picks a mapped folio asks the swap area's owner for a slot; the owner asks the CPU that
/// runs the task to unmap it and tells this actor the outcome; an unmapped, written folio is freed by a later scan,
/// through the owner (which may have handed it to a fault meanwhile: then it comes back on the list).
/// </summary>
public sealed partial class KswapdActor
{
    /// <summary>add_to_swap's answer for a folio that holds no slot yet: the swap area's owner chooses it.</summary>
    private const long NewSlot = 0;

    private readonly bool _swaps;

    // Whether reclaim needs the reverse map: to swap or to demote.
    private readonly bool _rmap;
    private readonly Dictionary<long, AnonFolio> _anon = [];
    private readonly List<(long Pfn, AnonFolio Folio)> _swapOuts = [];
    private readonly List<long> _swapEvicted = [];
    private readonly List<long> _swapShadows = [];
    private readonly List<(long Pfn, AnonFolio Folio)> _splitAsks = [];

    // Huge folios split for swap whose CPU has not answered yet, by their first page.
    private readonly SortedDictionary<long, AnonFolio> _splitting = [];

    // The owner's count of free slots as last heard, less the slots asked for since.
    private long _swapFree;

    private enum AnonPhase
    {
        /// <summary>A page table maps it.</summary>
        Mapped,

        /// <summary>
        /// Written to its slot and asked to be unmapped: the next scan frees it, and the owner gives the page back
        /// once the owning CPU has unmapped it (or puts it back on the list if it could not).
        /// </summary>
        Unmapped,

        /// <summary>Taken out of the swap cache by reclaim, about to be freed.</summary>
        Evicting,

        /// <summary>Freed, off the lruvec: the owner takes it out of the swap cache and frees the page (or a fault maps it again).</summary>
        Freed,

        /// <summary>Off the lruvec, being demoted (KswapdActor.Demote.cs): a page asked of the target, then the CPU's remap.</summary>
        Demoting,

        /// <summary>A huge folio off the lruvec, being split for swap by the CPU that maps it.</summary>
        Splitting,
    }

    /// <summary>The reverse map of one anonymous folio: the CPU running the task that maps it, and where.</summary>
    private sealed class AnonFolio(int cpu, int task, long vpn, int zone, int order, long slot)
    {
        public int Cpu { get; set; } = cpu;
        public int Task { get; set; } = task;
        public long Vpn { get; set; } = vpn;
        public int Zone { get; } = zone;
        public int Order { get; } = order;
        public long Slot { get; set; } = slot;
        public AnonPhase Phase { get; set; }
        public long Shadow { get; set; } = -1;
    }

    private bool HandleAnon(long time, ISimPayload payload)
    {
        switch (payload)
        {
            case LruAddAnon add:
                for (var i = 0; i < add.Pfns.Length; i++)
                {
                    if (_splitting.Count > 0)
                    {
                        ForgetSplitOf(time, add.Pfns[i]);
                    }
                    var zone = ZoneOf(add.Pfns[i]);
                    _lruvec.Add(add.Pfns[i], (int)ZoneIndex.Type(zone), LruType.Anon, add.Orders[i], LruAdd.Fault);
                    if (_rmap)
                    {
                        _anon[add.Pfns[i]] = new AnonFolio(add.Cpu, add.Tasks[i], add.Vpns[i], zone, add.Orders[i], -1);
                    }
                }
                return true;
            case LruDelAnon del:
                foreach (var pfn in del.Pfns)
                {
                    if (_lruvec.Contains(pfn))
                    {
                        _lruvec.Remove(pfn);
                    }
                    _anon.Remove(pfn);
                }
                return true;
            case LruAddSwapped read:
                if (_splitting.Count > 0)
                {
                    ForgetSplitOf(time, read.Pfn);
                }
                SwapIn.AddToLru(_lruvec, read.Pfn, read.Zone, read.Shadow);
                _anon[read.Pfn] = new AnonFolio(read.Cpu, read.TaskId, read.Vpn, read.Zone, 0, read.Slot);
                return true;
            case SwapOutDone done:
                SwappedOut(done);
                return true;
            case SwapCacheMapped mapped:
                MappedAgain(mapped);
                return true;
            case SplitHugeDone split:
                SplitCame(time, split);
                return true;
            default:
                return false;
        }
    }

    // The unmap's outcome: an unmapped folio is as reclaim took it to be; one that stayed mapped is mapped again,
    // back on the list if reclaim had freed it meanwhile.
    private void SwappedOut(SwapOutDone done)
    {
        _swapFree = done.FreeSwapPages;
        if (!_anon.TryGetValue(done.Pfn, out var folio) || folio.Task != done.TaskId || folio.Vpn != done.Vpn)
        {
            return;
        }
        folio.Slot = done.Slot;
        folio.Cpu = done.Cpu;
        if (!done.Unmapped)
        {
            MapAgain(done.Pfn, folio);
        }
    }

    // A fault mapped the swap cache's folio again: reclaim leaves it be; one it was freeing goes back on the list
    // and the free it counted is taken back.
    private void MappedAgain(SwapCacheMapped mapped)
    {
        if (!_anon.TryGetValue(mapped.Pfn, out var folio))
        {
            return;
        }
        MapAgain(mapped.Pfn, folio);
        folio.Slot = mapped.Slot;
        folio.Cpu = mapped.Cpu;
        folio.Task = mapped.TaskId;
        folio.Vpn = mapped.Vpn;
    }

    private void MapAgain(long pfn, AnonFolio folio)
    {
        if (folio.Phase == AnonPhase.Freed)
        {
            _lruvec.Add(pfn, (int)ZoneIndex.Type(folio.Zone), LruType.Anon, 0, LruAdd.Fault);
            _freedSent[folio.Zone]--;
        }
        folio.Phase = AnonPhase.Mapped;
    }

    private bool AnonMapped(long pfn) => _anon.TryGetValue(pfn, out var folio) && folio.Phase == AnonPhase.Mapped;

    // add_to_swap: the slot the folio holds in the swap cache, a new one if swap has room, or none (a huge folio is
    // split first: SplitFolio).
    private long AddToSwap(long pfn)
    {
        if (!_anon.TryGetValue(pfn, out var folio) || folio.Order > 0)
        {
            return -1;
        }
        if (folio.Slot > 0)
        {
            return folio.Slot;
        }
        return _swapFree > 0 ? NewSlot : -1;
    }

    // try_to_unmap: asked of the owning CPU through the swap area's owner; the folio is written meanwhile.
    private bool TryToUnmap(long pfn, long slot)
    {
        if (!_anon.TryGetValue(pfn, out var folio) || folio.Phase != AnonPhase.Mapped)
        {
            return false;
        }
        if (slot == NewSlot)
        {
            _swapFree--;
        }
        folio.Phase = AnonPhase.Unmapped;
        _swapOuts.Add((pfn, folio));
        return true;
    }

    // split_folio_to_list: each page of the huge folio gets its own reverse map now, and reclaim goes on with them as
    // the kernel does; the CPU that maps the folio is asked to split its huge entry and the zone's block (FlushSplits),
    // which it does before any of the pages' unmap requests reaches it (those go through the swap area's owner and a
    // write). With swap full the folio stays whole.
    private bool SplitFolio(long pfn)
    {
        if (!_anon.TryGetValue(pfn, out var folio) || folio.Phase != AnonPhase.Mapped || folio.Order == 0 || _swapFree <= 0)
        {
            return false;
        }
        for (var i = 0; i < 1 << folio.Order; i++)
        {
            _anon[pfn + i] = new AnonFolio(folio.Cpu, folio.Task, folio.Vpn + i, folio.Zone, 0, -1);
        }
        _splitting[pfn] = folio;
        _splitAsks.Add((pfn, folio));
        return true;
    }

    private void FlushSplits(long time)
    {
        foreach (var (pfn, folio) in _splitAsks)
        {
            var distance = _topology.DistanceBetween(_node, _topology.NodeOfCpu(folio.Cpu));
            Outbox.Send(ComponentIds.Cpu(folio.Cpu), time + _latency.Ipi(distance), NotBefore, new SplitHugeRequest(_node, folio.Task, folio.Vpn, pfn));
        }
        _splitAsks.Clear();
    }

    // The CPU's answer. Not split: the task no longer mapped the folio huge there, so it freed it whole (or moved it)
    // before the request came, and the pages reclaim took for its own are not this node's any more.
    private void SplitCame(long time, SplitHugeDone done)
    {
        if (_splitting.Remove(done.Pfn, out var folio) && !done.Split)
        {
            ForgetSplit(time, done.Pfn, folio);
        }
    }

    // A page a CPU hands this node again (a new fault, a swap-in, a demotion's target) may be one of a huge folio whose
    // split is still unanswered: the split failed, the folio having been freed whole.
    private void ForgetSplitOf(long time, long pfn)
    {
        foreach (var (head, folio) in _splitting)
        {
            if (pfn >= head && pfn < head + (1L << folio.Order))
            {
                _splitting.Remove(head);
                ForgetSplit(time, head, folio);
                return;
            }
        }
    }

    private void ForgetSplit(long time, long head, AnonFolio folio)
    {
        var freed = new List<long>();
        for (var pfn = head; pfn < head + (1L << folio.Order); pfn++)
        {
            if (!_anon.Remove(pfn, out var page) || page.Task != folio.Task || page.Vpn != folio.Vpn + (pfn - head))
            {
                continue;
            }
            if (_lruvec.Contains(pfn))
            {
                _lruvec.Remove(pfn);
            }
            if (page.Phase == AnonPhase.Freed)
            {
                _freedSent[page.Zone]--;
            }
            freed.Add(pfn);
        }
        // What the swap area's owner cached for them goes (free_swap_cache), as for any folio a CPU frees.
        var distance = _topology.DistanceBetween(_node, ComponentIds.NodeOfService(ComponentIds.Swap, _topology));
        Outbox.Send(ComponentIds.Swap, time + _latency.ZoneMessage(distance), NotBefore, new AnonFreed([.. freed]));
    }

    // __remove_mapping for a swap-cache folio: only one written and unmapped (or being unmapped); the owner frees it.
    private bool RemoveFromSwapCache(long pfn, long shadow)
    {
        if (!_anon.TryGetValue(pfn, out var folio) || folio.Phase != AnonPhase.Unmapped)
        {
            return false;
        }
        folio.Phase = AnonPhase.Evicting;
        folio.Shadow = shadow;
        return true;
    }

    // An evicted swap-cache folio's page goes back through the owner; counted as freed now, as a page-cache page is.
    private bool FreeThroughSwap(long pfn, int zone)
    {
        if (!_anon.TryGetValue(pfn, out var folio) || folio.Phase != AnonPhase.Evicting)
        {
            return false;
        }
        folio.Phase = AnonPhase.Freed;
        _swapEvicted.Add(pfn);
        _swapShadows.Add(folio.Shadow);
        _freedSent[zone]++;
        _freedThisWork![zone]++;
        return true;
    }

    private void FlushSwap(long time)
    {
        if (_swapOuts.Count == 0 && _swapEvicted.Count == 0)
        {
            return;
        }
        var arrival = time + _latency.ZoneMessage(_topology.DistanceBetween(_node, ComponentIds.NodeOfService(ComponentIds.Swap, _topology)));
        if (_swapOuts.Count > 0)
        {
            Outbox.Send(ComponentIds.Swap, arrival, NotBefore, new SwapOutRequest(
                _node,
                [.. _swapOuts.Select(s => s.Pfn)],
                [.. _swapOuts.Select(s => s.Folio.Zone)],
                [.. _swapOuts.Select(s => s.Folio.Slot)],
                [.. _swapOuts.Select(s => s.Folio.Cpu)],
                [.. _swapOuts.Select(s => s.Folio.Task)],
                [.. _swapOuts.Select(s => s.Folio.Vpn)]));
            _swapOuts.Clear();
        }
        if (_swapEvicted.Count > 0)
        {
            Outbox.Send(ComponentIds.Swap, arrival, NotBefore, new SwapCacheEvict([.. _swapEvicted], [.. _swapShadows]));
            _swapEvicted.Clear();
            _swapShadows.Clear();
        }
    }
}
