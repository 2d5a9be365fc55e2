using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;

namespace NumaSim.Model.Reclaim;

/// <summary>What kswapd does after balance_pgdat.</summary>
public enum KswapdNext
{
    /// <summary>The node is balanced: a 100 ms nap (<see cref="Kswapd.NapNs"/>), then <see cref="Kswapd.AfterNap"/>.</summary>
    Nap,

    /// <summary>Not balanced: run again at once.</summary>
    RunAgain,
}

/// <summary>
/// A node's kswapd (mm/vmscan.c): woken by allocations that fell below the low watermark, it reclaims until one
/// eligible zone is back at its high watermark (balance_pgdat), then naps for 100 ms before sleeping for good
/// (kswapd_try_to_sleep), counting whether the node needed it again right away.
/// </summary>
public sealed class Kswapd
{
    /// <summary>MAX_RECLAIM_RETRIES: after this many runs that reclaimed nothing kswapd leaves the node alone.</summary>
    public const int MaxReclaimRetries = 16;

    /// <summary>kswapd_try_to_sleep's short nap, HZ/10.</summary>
    public const long NapNs = 100_000_000;

    private readonly ReclaimNode _node;

    public Kswapd(ReclaimNode node) => _node = node;


    /// <summary>pgdat->kswapd_order: the largest order a waker asked for since the last run.</summary>
    public int Order { get; private set; }

    /// <summary>pgdat->kswapd_highest_zoneidx; -1 when nobody asked (MAX_NR_ZONES in the kernel).</summary>
    public int HighestZoneIdx { get; private set; } = -1;

    /// <summary>Whether kswapd is asleep (waitqueue_active): only a sleeping kswapd is woken.</summary>
    public bool Sleeping { get; private set; } = true;

    /// <summary>pageoutrun: balance_pgdat runs.</summary>
    public long PageoutRun => _node.Stat.Events[VmEventItem.Pageoutrun];

    /// <summary>
    /// wakeup_kswapd: records what the waker needs and says whether kswapd must run: not if it already runs, nor
    /// if the node is hopeless or already balanced (unless a zone's watermarks are boosted).
    /// </summary>
    public bool Wake(int order, int highestZoneIdx)
    {
        if (HighestZoneIdx < highestZoneIdx)
        {
            HighestZoneIdx = highestZoneIdx;
        }
        Order = Math.Max(Order, order);
        if (!Sleeping)
        {
            return false;
        }
        if (_node.KswapdFailures >= MaxReclaimRetries
            || (_node.Balanced(order, highestZoneIdx) && !_node.WatermarkBoosted(highestZoneIdx)))
        {
            return false;
        }
        Sleeping = false;
        return true;
    }

    /// <summary>
    /// One run: balance_pgdat for what the wakers asked, then kswapd_try_to_sleep. <paramref name="wokenDuringNap"/>
    /// says whether an allocation woke it again within the 100 ms nap (which the caller knows from simulated
    /// time). Returns whether kswapd went to sleep (false: it must run again at once).
    /// </summary>
    public bool Run(Func<bool> wokenDuringNap)
    {
        var highest = Balance();
        return AfterBalance(highest) == KswapdNext.Nap ? AfterNap(highest, wokenDuringNap()) : false;
    }

    /// <summary>balance_pgdat for what the wakers asked since the last run; returns the zone index it balanced for.</summary>
    public int Balance()
    {
        var order = Order;
        var highest = HighestZoneIdx < 0 ? _node.Zones.Max(z => (int)z.Spec.Type) : HighestZoneIdx;
        Order = 0;
        HighestZoneIdx = -1;
        _node.SetReclaimActive(true);
        BalancePgdat(order, highest);
        _node.SetReclaimActive(false);
        return highest;
    }

    /// <summary>
    /// kswapd_try_to_sleep's first look: a balanced node naps (kswapd stays on its wait queue: a waker wakes it);
    /// one that is not balanced runs again at once, counted as kswapd_high_wmark_hit_quickly.
    /// </summary>
    public KswapdNext AfterBalance(int highestZoneIdx)
    {
        if (PrepareSleep(highestZoneIdx))
        {
            Sleeping = true;
            return KswapdNext.Nap;
        }
        _node.Stat.Events.Count(VmEventItem.KswapdHighWmarkHitQuickly);
        return KswapdNext.RunAgain;
    }

    /// <summary>
    /// The nap is over, early when <paramref name="woken"/>: kswapd sleeps for good if nobody woke it and the node is
    /// still balanced (true); otherwise it runs again, counted as kswapd_low_wmark_hit_quickly when it was woken.
    /// </summary>
    public bool AfterNap(int highestZoneIdx, bool woken)
    {
        if (!woken && PrepareSleep(highestZoneIdx))
        {
            Sleeping = true;
            return true;
        }
        Sleeping = false;
        _node.Stat.Events.Count(woken ? VmEventItem.KswapdLowWmarkHitQuickly : VmEventItem.KswapdHighWmarkHitQuickly);
        return false;
    }

    private bool PrepareSleep(int highestZoneIdx) =>
        _node.KswapdFailures >= MaxReclaimRetries || _node.Balanced(0, highestZoneIdx);

    /// <summary>
    /// balance_pgdat: priority rounds of kswapd_shrink_node until the node is balanced. A boosted node that is
    /// already balanced reclaims the boost only (nr_boost_reclaim), without writeback or swap, and gives up after a
    /// round that frees nothing; an unbalanced one ignores the boost and reclaims as usual. Either way the boosts
    /// seen at the start come off the zones at the end.
    /// </summary>
    public void BalancePgdat(int order, int highestZoneIdx)
    {
        _node.Stat.Events.Count(VmEventItem.Pageoutrun);
        var zoneBoosts = new List<(ZoneSetup Zone, long Boost)>();
        long nrBoostReclaim = 0;
        foreach (var zone in _node.Zones)
        {
            if ((int)zone.Spec.Type <= highestZoneIdx && zone.Spec.Managed > 0 && _node.WatermarkBoost(zone) is > 0 and var boost)
            {
                zoneBoosts.Add((zone, boost));
                nrBoostReclaim += boost;
            }
        }
        var sc = new ScanControl { Reclaimer = Reclaimer.Kswapd, NrToReclaim = 0, ReclaimIdx = highestZoneIdx, Order = order };
        if (ReclaimRounds(sc, highestZoneIdx, nrBoostReclaim) && sc.NrReclaimed == 0)
        {
            _node.KswapdFailures++;
        }
        foreach (var (zone, boost) in zoneBoosts)
        {
            _node.ClearWatermarkBoost(zone.Index, boost);
        }
    }

    // The priority loop (from restart: to out:); false when it stopped because the node was balanced.
    private bool ReclaimRounds(ScanControl sc, int highestZoneIdx, long nrBoostReclaim)
    {
        sc.Priority = ScanControl.DefPriority;
        do
        {
            var before = sc.NrReclaimed;
            var raisePriority = true;
            var balanced = _node.Balanced(sc.Order, highestZoneIdx);
            if (!balanced && nrBoostReclaim > 0)
            {
                // A real shortage: the boost is ignored for this run (it stays in the watermarks until the end).
                return ReclaimRounds(sc, highestZoneIdx, 0);
            }
            if (nrBoostReclaim == 0 && balanced)
            {
                return false;
            }
            if (nrBoostReclaim > 0 && sc.Priority == ScanControl.DefPriority - 2)
            {
                raisePriority = false;
            }
            // Boosted reclaim relieves fragmentation, not a shortage: no writeback, no swap, unless it gets hard.
            sc.MayWritepage = nrBoostReclaim == 0 || sc.Priority < ScanControl.DefPriority - 2;
            sc.MaySwap = nrBoostReclaim == 0;
            sc.NrScanned = 0;
            if (ShrinkNode(sc))
            {
                raisePriority = false;
            }
            var reclaimed = sc.NrReclaimed - before;
            nrBoostReclaim -= Math.Min(nrBoostReclaim, reclaimed);
            if (nrBoostReclaim > 0 && reclaimed == 0)
            {
                // No progress for a boost: writeback cannot be queued, so it stops rather than loop.
                break;
            }
            if (raisePriority || reclaimed == 0)
            {
                sc.Priority--;
            }
        }
        while (sc.Priority >= 1);
        return true;
    }

    // kswapd_shrink_node: the target is every eligible zone's high watermark; a round that scanned or reclaimed
    // that much does not need a higher priority.
    private bool ShrinkNode(ScanControl sc)
    {
        sc.NrToReclaim = 0;
        foreach (var zone in _node.Zones)
        {
            if ((int)zone.Spec.Type <= sc.ReclaimIdx && zone.Spec.Managed > 0)
            {
                sc.NrToReclaim += Math.Max(zone.Watermarks.Get(WatermarkKind.High), ScanControl.SwapClusterMax);
            }
        }
        var before = sc.NrReclaimed;
        _node.ShrinkNode(sc);
        return Math.Max(sc.NrScanned, sc.NrReclaimed - before) >= sc.NrToReclaim;
    }
}
