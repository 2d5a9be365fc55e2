using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Reclaim;
using NumaSim.Model.Stats;

namespace NumaSim.Actors.Reclaim;

/// <summary>
/// What a reclaim pass frees, on the simulated time line: each page it scans costs <see cref="LatencyModel.ReclaimScanNs"/>
/// and each page it demotes the copy (<see cref="LatencyModel.MigrateCopyNs"/> scaled by the distance),
/// and the pages it frees leave for their zone in batches of SWAP_CLUSTER_MAX at the time the pass reached them, with
/// the page cache told of the evictions at the same time. The zones' free counts this actor sees are a window old, so
/// it adds what it freed that they do not show yet.
/// </summary>
public sealed partial class KswapdActor
{
    private readonly long[] _freedSent;
    private readonly List<long>[] _toFree;
    private readonly List<long> _evicted = [];
    private readonly List<long> _shadows = [];
    private long[]? _freedThisWork;
    private long _workStart;
    private long _scannedAtStart;

    // What this work's demotions cost the reclaimer: migrate_pages copies each folio on the reclaiming CPU.
    private long _migrateNs;

    private ZoneFreeView OwnView(int zone)
    {
        var view = Views[zone];
        return view with { FreePages = view.FreePages + _freedSent[zone] - view.ReclaimFreed, WatermarkBoost = BoostOf(zone, view) };
    }

    private long Scanned => _reclaim.Stat.Events[VmEventItem.PgscanAnon] + _reclaim.Stat.Events[VmEventItem.PgscanFile];

    // kswapd's own work takes twice its CPU time where it shares a CPU with a task (KswapdCpu); direct reclaim runs
    // on the allocating task's own CPU time.
    private long WorkTime => _workStart + ((Scanned - _scannedAtStart) * _latency.ReclaimScanNs + _migrateNs) * (_reclaimer == Reclaimer.Kswapd ? _cpuShare : 1);

    private void BeginWork(long time)
    {
        _workStart = time;
        _scannedAtStart = Scanned;
        _migrateNs = 0;
        _freedThisWork = new long[_freedSent.Length];
    }

    /// <summary>Sends what is left and returns the time the work ended.</summary>
    private long EndWork()
    {
        foreach (var zone in _zones)
        {
            Flush(zone.Index);
        }
        _freedThisWork = null;
        return WorkTime;
    }

    private long[] FreedThisWork() => [.. _freedThisWork!];

    /// <summary>free_unref_folios on kswapd's (or the direct reclaimer's) CPU counts pgfree as any free does.</summary>
    private void Free(long pfn)
    {
        _reclaim.Stat.Events.CountFree(0);
        var zone = ZoneOf(pfn);
        if (FreeThroughSwap(pfn, zone))
        {
            return;
        }
        _toFree[zone].Add(pfn);
        _freedSent[zone]++;
        _freedThisWork![zone]++;
        if (_toFree[zone].Count >= ScanControl.SwapClusterMax)
        {
            Flush(zone);
        }
    }

    private void Flush(int zone)
    {
        var time = WorkTime;
        FlushSwap(time);
        FlushSplits(time);
        FlushDemotions(time);
        if (_evicted.Count > 0)
        {
            var distance = _topology.DistanceBetween(_node, ComponentIds.NodeOfService(ComponentIds.PageCache, _topology));
            Outbox.Send(ComponentIds.PageCache, time + _latency.ZoneMessage(distance), NotBefore, new PageCacheEvicted([.. _evicted], [.. _shadows]));
            _evicted.Clear();
            _shadows.Clear();
        }
        if (_toFree[zone].Count > 0)
        {
            Outbox.Send(ComponentIds.Zone(zone), time + _latency.ZoneMessageNs, NotBefore, new ReclaimedPages([.. _toFree[zone]]));
            _toFree[zone].Clear();
        }
    }

    /// <summary>
    /// What shrink_folio_list needs of the rest of the kernel: page-cache pages are never mapped here (read(2) only);
    /// anonymous folios go to swap (KswapdActor.Anon.cs) or to a slower tier (KswapdActor.Demote.cs) by message.
    /// </summary>
    private sealed class Host(KswapdActor owner) : IReclaimHost
    {
        public bool IsMapped(long pfn) => owner.AnonMapped(pfn);

        public long AddToSwap(long pfn) => owner.AddToSwap(pfn);

        public bool TryToUnmap(long pfn, long slot) => owner.TryToUnmap(pfn, slot);

        public bool RemoveFromSwapCache(long pfn, long shadow) => owner.RemoveFromSwapCache(pfn, shadow);

        public bool RemoveFromPageCache(long pfn, long shadow)
        {
            owner._evicted.Add(pfn);
            owner._shadows.Add(shadow);
            return true;
        }

        public void Free(long pfn) => owner.Free(pfn);

        public bool SplitFolio(long pfn) => owner.SplitFolio(pfn);

        public long MigrateFolio(long pfn, IReadOnlyList<AllocationRequest> targets) => owner.QueueDemotion(pfn, targets);
    }
}
