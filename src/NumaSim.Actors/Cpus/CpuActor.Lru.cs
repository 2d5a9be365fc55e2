using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.Lru;
using NumaSim.Model.Mmu;
using NumaSim.Model.Topology;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// The anonymous folios this CPU's faults map go on their node's LRU, whose owner is the node's kswapd: a per-CPU
/// batch per node (folio_add_lru's folio_batch), sent at the end of every window, which is also where the CPU starts
/// waiting (for a zone, a service or IPIs). Sent any sooner, the batches would be the earliest events of the kswapds,
/// which bound the answers waiting CPUs may get, and cut every CPU's window short. A folio freed (munmap, the OOM killer) leaves the LRU, or the batch if it is still
/// there; with swap, the swap area's owner hears of it too (the folio may be in the swap cache).
/// </summary>
public sealed partial class CpuActor
{
    private readonly FolioBatch[] _lruAdds;
    private readonly List<long>[] _lruDels;
    private readonly List<long> _anonFreed = [];

    private bool Swaps => Topology.SwapBytes > 0;

    private void AddNewFolio(SimTask task)
    {
        foreach (var folio in _mmu.TakeNewFolios())
        {
            var node = ZoneIndex.Node(folio.Zone);
            _lruAdds[node].Add(task.Id, folio.Pfn, folio.Order, folio.Vpn);
        }
    }

    private void FlushLruAdds(int node)
    {
        var batch = _lruAdds[node];
        if (batch.Count == 0)
        {
            return;
        }
        var (tasks, pfns, orders, vpns) = batch.Drain();
        Outbox.Send(ComponentIds.Kswapd(node), _now + ServiceTrip(node), NotBefore, new LruAddAnon(CpuId, tasks, pfns, orders, vpns));
    }

    /// <summary>The data pages a Free step gave back leave the LRU; the swap entries it dropped free their slots.</summary>
    private void ForgetFolios(IReadOnlyList<FreedBlock> blocks, IReadOnlyList<long> swapSlots)
    {
        foreach (var block in blocks)
        {
            if (block.PageTable)
            {
                continue;
            }
            var node = ZoneIndex.Node(block.Zone);
            if (_lruAdds[node].Remove(block.Pfn))
            {
                continue;
            }
            _lruDels[node].Add(block.Pfn);
            if (Swaps)
            {
                _anonFreed.Add(block.Pfn);
            }
        }
        for (var node = 0; node < _lruDels.Length; node++)
        {
            if (_lruDels[node].Count > 0)
            {
                Outbox.Send(ComponentIds.Kswapd(node), _now + ServiceTrip(node), NotBefore, new LruDelAnon([.. _lruDels[node]]));
                _lruDels[node].Clear();
            }
        }
        if (_anonFreed.Count > 0 || swapSlots.Count > 0)
        {
            if (_anonFreed.Count > 0)
            {
                Outbox.Send(ComponentIds.Swap, _now + SwapTrip, NotBefore, new AnonFreed([.. _anonFreed]));
                _anonFreed.Clear();
            }
            if (swapSlots.Count > 0)
            {
                Outbox.Send(ComponentIds.Swap, _now + SwapTrip, NotBefore, new SwapSlotsFreed([.. swapSlots]));
            }
        }
    }

    // Without swap nothing a kswapd does with a CPU's LRU additions or removals comes back to a CPU.
    protected override bool BookkeepingComesBack => Swaps;

    protected override bool HoldsUnsentBookkeeping
    {
        get
        {
            foreach (var batch in _lruAdds)
            {
                if (batch.Count > 0)
                {
                    return true;
                }
            }
            return false;
        }
    }

    protected override void BeforeFlush()
    {
        for (var node = 0; node < _lruAdds.Length; node++)
        {
            FlushLruAdds(node);
        }
    }
}
