using NumaSim.Model.Topology;

namespace NumaSim.Model.PageAlloc;

/// <summary>
/// __alloc_pages_slowpath past the watermarks (mm/page_alloc.c): wake the zonelist's kswapds, reclaim directly,
/// retry while should_reclaim_retry sees a zone that reclaim could lift to its min watermark, then the OOM killer.
/// Taken only when <see cref="ReclaimSteps"/> is on: the caller must then answer the WakeKswapd, DirectReclaim and
/// OutOfMemory steps.
/// </summary>
public sealed partial class CpuPageAllocator
{
    /// <summary>MAX_RECLAIM_RETRIES: rounds without progress before the OOM killer.</summary>
    public const int MaxReclaimRetries = 16;

    /// <summary>PAGE_ALLOC_COSTLY_ORDER.</summary>
    public const int CostlyOrder = 3;

    private int _noProgressLoops;
    private bool _reclaimed;
    private int _nodeReclaimed = -1;
    private bool _drainedAll;
    private long _lastReclaimed;
    private Func<int, long>? _reclaimable;

    /// <summary>vm.zone_reclaim_mode (with <see cref="ReclaimSteps"/>): 0 never reclaims a node before leaving it.</summary>
    public int ZoneReclaimMode { get; init; }

    /// <summary>Whether the slow path reclaims (the caller answers its steps) or fails at the min watermark.</summary>
    public bool ReclaimSteps { get; init; }

    private void BeginSlowpath()
    {
        _noProgressLoops = 0;
        _reclaimed = false;
        _nodeReclaimed = -1;
        _drainedAll = false;
    }

    /// <summary>After NodeReclaim: the zone is looked at again (its watermark re-checked), then the next ones.</summary>
    public AllocationStep ResumeAfterNodeReclaim(Func<int, ZoneFreeView> view) => Advance(view);

    // get_page_from_freelist calls node_reclaim for a zone below its watermark when the mode is on and the zone's
    // node is within node_reclaim_distance of the preferred node; once per zone and attempt here.
    private bool ShouldNodeReclaim(int zone)
    {
        if (!ReclaimSteps || ZoneReclaimMode == 0 || _nodeReclaimed == zone)
        {
            return false;
        }
        return _setup.Topology.DistanceBetween(_preferredNode, ZoneIndex.Node(zone)) <= Reclaim.NodeReclaim.Distance;
    }

    private AllocationStep NodeReclaimStep(int zone)
    {
        _nodeReclaimed = zone;
        return new AllocationStep(AllocationStepKind.NodeReclaim, -1, zone, new ZoneRequest(zone, _request!.Order, _type, 1, default, _highestZoneIdx))
        {
            Nodes = [ZoneIndex.Node(zone)],
        };
    }

    /// <summary>After WakeKswapd: the slow path's get_page_from_freelist at the min watermark.</summary>
    public AllocationStep ResumeAfterWake(Func<int, ZoneFreeView> view) => Advance(view);

    /// <summary>
    /// After DirectReclaim: <paramref name="reclaimed"/> pages were freed; <paramref name="reclaimable"/> gives a
    /// zone's reclaimable pages (its file LRU pages; anonymous ones only with swap) for should_reclaim_retry.
    /// </summary>
    public AllocationStep ResumeAfterReclaim(long reclaimed, Func<int, ZoneFreeView> view, Func<int, long> reclaimable)
    {
        _reclaimed = true;
        _lastReclaimed = reclaimed;
        _reclaimable = reclaimable;
        _position = 0;
        return Advance(view);
    }

    // The pass after a direct reclaim (or the drain after it) failed, whether at once or after asking a zone (a page the
    // view showed free may not be there yet: reclaim's frees still on their way to it).
    private AllocationStep PassAfterReclaimFailed(Func<int, ZoneFreeView> view)
    {
        if (_lastReclaimed > 0 && !_drainedAll)
        {
            // __alloc_pages_direct_reclaim: reclaim made progress but the pages may sit on other CPUs' lists or in
            // the highatomic reserve.
            _drainedAll = true;
            return UnreserveStep(force: false);
        }
        return AfterReclaimFailed(view);
    }

    /// <summary>After DrainAllPages: the allocation is tried once more, then retried or sent to the OOM killer.</summary>
    public AllocationStep ResumeAfterDrain(Func<int, ZoneFreeView> view, Func<int, long> reclaimable)
    {
        _position = 0;
        _pass = 1;
        _reclaimable = reclaimable;
        return Advance(view);
    }

    private AllocationStep AfterReclaimFailed(Func<int, ZoneFreeView> view)
    {
        var request = _request!;
        var reclaimed = _lastReclaimed;
        // The pass after the reclaim found nothing: retry (should_reclaim_retry) or go to the OOM killer.
        if ((request.Gfp & Gfp.NoRetry) != 0 || request.Order > CostlyOrder && (request.Gfp & Gfp.RetryMayfail) == 0)
        {
            return Give();
        }
        _noProgressLoops = reclaimed > 0 && request.Order <= CostlyOrder ? 0 : _noProgressLoops + 1;
        if (_noProgressLoops > MaxReclaimRetries)
        {
            // should_reclaim_retry: before the OOM killer, the highatomic reserve goes, one pageblock a round.
            return UnreserveStep(force: true);
        }
        return ShouldReclaimRetry(view, _reclaimable!) ? RetryReclaim() : OutOfMemoryOrGive();
    }

    private AllocationStep RetryReclaim()
    {
        _reclaimed = false;
        _drainedAll = false;
        _position = 0;
        return WakeKswapds();
    }

    private AllocationStep OutOfMemoryOrGive()
    {
        var request = _request!;
        if ((request.Gfp & (Gfp.RetryMayfail | Gfp.ThisNode)) != 0 || request.Order > CostlyOrder || _highestZoneIdx < (int)ZoneType.Normal)
        {
            return Give();
        }
        return AllocationStep.OutOfMemory with { Nodes = CandidateNodes() };
    }

    private AllocationStep Slowpath(Func<int, ZoneFreeView> view)
    {
        var request = _request!;
        if (!request.Gfp.CanDirectReclaim() || _reclaimed)
        {
            // The pass after a reclaim decides what comes next here, whether it failed at once or on a zone's answer.
            return _reclaimed ? PassAfterReclaimFailed(view) : Give();
        }
        Events.CountAllocStall((ZoneType)_highestZoneIdx);
        _pass = 1;
        return new AllocationStep(AllocationStepKind.DirectReclaim, -1, -1, new ZoneRequest(-1, request.Order, _type, 1, default, _highestZoneIdx))
        {
            Nodes = CandidateNodes(),
        };
    }

    private AllocationStep WakeKswapds() =>
        new(AllocationStepKind.WakeKswapd, -1, -1, new ZoneRequest(-1, _request!.Order, _type, 1, default, _highestZoneIdx))
        {
            Nodes = CandidateNodes(),
        };

    // should_reclaim_retry: retry while some zone could reach its min watermark with all its reclaimable pages freed.
    private bool ShouldReclaimRetry(Func<int, ZoneFreeView> view, Func<int, long> reclaimable)
    {
        var flags = AllocFlagsFor.SlowPath(_request!.Gfp, _request.Order);
        foreach (var zone in _candidates)
        {
            var setup = _setup.Zone(zone);
            var free = view(zone);
            var available = free with { FreePages = free.FreePages + reclaimable(zone) };
            if (WatermarkCheck.Ok(available, _request.Order, WatermarkCheck.Mark(setup, free, WatermarkKind.Min), setup.LowmemReserve, _highestZoneIdx, flags))
            {
                return true;
            }
        }
        return false;
    }

    private AllocationStep Give()
    {
        _request = null;
        return AllocationStep.Fail;
    }

    private List<int> CandidateNodes()
    {
        var nodes = new List<int>();
        foreach (var zone in _candidates)
        {
            var node = ZoneIndex.Node(zone);
            if (!nodes.Contains(node))
            {
                nodes.Add(node);
            }
        }
        return nodes;
    }
}
