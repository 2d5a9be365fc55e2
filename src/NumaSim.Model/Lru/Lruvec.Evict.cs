using NumaSim.Model.Reclaim;
using NumaSim.Model.Stats;

namespace NumaSim.Model.Lru;

/// <summary>
/// The multi-gen LRU's reclaim side (mm/vmscan.c, Linux 6.12): how many pages a pass may scan
/// (get_nr_to_scan / should_run_aging), aging, and eviction from the oldest generation in batches of at most
/// MIN_LRU_BATCH isolated pages (evict_folios, isolate_folios, scan_folios, sort_folio), with the tiers that
/// protect folios accessed often through file descriptors (the PID controller over refaults).
/// </summary>
public sealed partial class Lruvec
{
    /// <summary>MIN_LRU_BATCH (BITS_PER_LONG): the most pages one scan isolates.</summary>
    public const int MinLruBatch = 64;

    /// <summary>MAX_LRU_BATCH: the most pages one scan looks at.</summary>
    public const int MaxLruBatch = MinLruBatch * 64;

    /// <summary>MAX_NR_TIERS.</summary>
    public const int MaxNrTiers = 4;

    // The PID controller's state per type and tier: running averages and this generation's counts.
    private readonly long[,] _avgRefaulted = new long[2, MaxNrTiers];
    private readonly long[,] _avgTotal = new long[2, MaxNrTiers];
    private readonly long[,] _evicted = new long[2, MaxNrTiers];
    private readonly long[,] _refaulted = new long[2, MaxNrTiers];
    private readonly long[,] _protected = new long[2, MaxNrTiers - 1];
    private readonly List<long> _isolated = [];
    private readonly List<long> _kept = [];

    // The tier each isolated folio had when it was taken, for the eviction counts and its shadow entry.
    private readonly Dictionary<long, int> _evictionTier = [];

    /// <summary>
    /// try_to_shrink_lruvec: evicts batches until the pass's share is scanned or <paramref name="abort"/>
    /// (should_abort_scan) says the reclaimer has enough. Returns true when the pass aged the lruvec instead.
    /// </summary>
    public bool TryToShrink(ScanControl sc, int swappiness, IReclaimHost host, ReclaimStat stat, Func<ScanControl, bool> abort)
    {
        var canSwap = swappiness != 0;
        var scanned = 0L;
        long nrToScan;
        while (true)
        {
            nrToScan = NrToScan(sc, canSwap);
            if (nrToScan <= 0)
            {
                break;
            }
            var delta = EvictFolios(sc, swappiness, host, stat);
            if (delta == 0)
            {
                break;
            }
            scanned += delta;
            if (scanned >= nrToScan || abort(sc))
            {
                break;
            }
        }
        return nrToScan < 0;
    }

    // get_nr_to_scan (6.12): age instead of scanning when should_run_aging says so, except at DEF_PRIORITY.
    private long NrToScan(ScanControl sc, bool canSwap)
    {
        var needAging = ShouldRunAging(canSwap, out var nrToScan);
        if (!needAging || sc.Priority == ScanControl.DefPriority)
        {
            return nrToScan >> sc.Priority;
        }
        IncMaxSeq(canSwap);
        return -1;
    }

    // should_run_aging (6.12): too few generations, or the youngest holds too much, or the old one too little.
    private bool ShouldRunAging(bool canSwap, out long nrToScan)
    {
        var first = canSwap ? LruType.Anon : LruType.File;
        var minSeq = _minSeq[canSwap ? 0 : 1];
        if (minSeq + MinNrGens > MaxSeq)
        {
            nrToScan = 0;
            return true;
        }
        long young = 0, old = 0, total = 0;
        for (var type = first; type <= LruType.File; type++)
        {
            for (var seq = _minSeq[(int)type]; seq <= MaxSeq; seq++)
            {
                var size = 0L;
                for (var zone = 0; zone < Zones; zone++)
                {
                    size += Math.Max(_nrPages[Slot(GenFromSeq(seq), type, zone)], 0);
                }
                total += size;
                if (seq == MaxSeq)
                {
                    young += size;
                }
                else if (seq + MinNrGens == MaxSeq)
                {
                    old += size;
                }
            }
        }
        nrToScan = total;
        if (minSeq + MinNrGens < MaxSeq)
        {
            return false;
        }
        return young * MinNrGens > total || old * (MinNrGens + 2) < total;
    }

    /// <summary>evict_folios: isolates one batch from the oldest generation and reclaims what it can.</summary>
    public long EvictFolios(ScanControl sc, int swappiness, IReclaimHost host, ReclaimStat stat)
    {
        var canSwap = swappiness != 0;
        _isolated.Clear();
        var scanned = IsolateFolios(sc, canSwap, stat, out var type);
        scanned += TryIncMinSeq(canSwap) ? 1 : 0;
        if (NrGens(canSwap ? LruType.Anon : LruType.File) == MinNrGens)
        {
            scanned = 0;
        }
        if (_isolated.Count == 0)
        {
            return scanned;
        }
        var reclaimed = ShrinkFolioList(sc, host, stat);
        sc.NrReclaimed += reclaimed;
        stat.CountSteal(sc.Reclaimer, type == LruType.File, reclaimed);
        return scanned;
    }

    // isolate_folios with no swap: the file type only; with swap the anon/file choice (get_type_to_scan) is not
    // modelled yet, anon is scanned first when its oldest generation is older, as the kernel does.
    private long IsolateFolios(ScanControl sc, bool canSwap, ReclaimStat stat, out LruType type)
    {
        type = !canSwap ? LruType.File : _minSeq[0] < _minSeq[1] ? LruType.Anon : LruType.File;
        for (var attempt = canSwap ? 0 : 1; attempt <= 1; attempt++)
        {
            var scanned = ScanFolios(sc, type, TierIdx(type), stat);
            if (scanned > 0)
            {
                return scanned;
            }
            type = type == LruType.File ? LruType.Anon : LruType.File;
        }
        return 0;
    }

    // scan_folios: from the tail of the oldest generation, zone by zone starting at reclaim_idx, until 64 pages
    // are isolated or 4,096 looked at.
    private long ScanFolios(ScanControl sc, LruType type, int tierIdx, ReclaimStat stat)
    {
        if (NrGens(type) == MinNrGens)
        {
            return 0;
        }
        var gen = GenFromSeq(_minSeq[(int)type]);
        var remaining = MaxLruBatch;
        long scanned = 0, sorted = 0, isolated = 0;
        for (var i = Zones; i > 0; i--)
        {
            var zone = (sc.ReclaimIdx + i) % Zones;
            var slot = Slot(gen, type, zone);
            while (_lists[slot].Tail >= 0)
            {
                var pfn = _lists[slot].Tail;
                var delta = 1L << OrderOf(pfn);
                scanned += delta;
                if (SortFolio(pfn, zone, sc, tierIdx))
                {
                    sorted += delta;
                }
                else if (IsolateFolio(pfn, sc))
                {
                    _isolated.Add(pfn);
                    isolated += delta;
                }
                if (--remaining == 0 || isolated >= MinLruBatch)
                {
                    break;
                }
            }
            if (remaining == 0 || isolated >= MinLruBatch)
            {
                break;
            }
        }
        stat.CountScan(sc.Reclaimer, type == LruType.File, isolated);
        stat.CountRefill(sorted);
        return isolated > 0 || remaining == 0 ? scanned : 0;
    }

    // sort_folio: a folio in a protected tier, or in a zone this pass may not reclaim, moves on to the next
    // generation instead of being isolated.
    private bool SortFolio(long pfn, int zone, ScanControl sc, int tierIdx)
    {
        var state = _table.State(pfn);
        var refs = LruRefs(state);
        var tier = TierFromRefs(refs);
        var type = (int)FolioLruState.Type(state);
        if (tier > tierIdx || refs == FolioLruState.MaxRefs + 1)
        {
            IncGen(pfn, reclaiming: false);
            _protected[type, tier - 1] += 1L << OrderOf(pfn);
            return true;
        }
        if (zone > sc.ReclaimIdx)
        {
            IncGen(pfn, reclaiming: false);
            return true;
        }
        return false;
    }

    // isolate_folio: off the list; a folio not referenced since it was last aged forgets its tier.
    private bool IsolateFolio(long pfn, ScanControl sc)
    {
        var state = _table.State(pfn);
        if (!sc.MayIo && FolioLruState.Type(state) == LruType.Anon)
        {
            return false;
        }
        if (!FolioLruState.IsReferenced(state))
        {
            state = FolioLruState.SetWorkingset(FolioLruState.WithRefs(state, 0), false);
        }
        _table.SetState(pfn, FolioLruState.SetReferenced(state, false));
        var tier = TierFromRefs(LruRefs(_table.State(pfn)));
        _evictionTier[pfn] = tier;
        Remove(pfn, keepState: true);
        return true;
    }

    // shrink_folio_list for what isolate_folios took: clean unmapped page cache leaves the cache with a shadow
    // entry and is freed; a mapped folio is kept and goes back active (its young bit is not modelled: a mapped
    // page is taken to be in use); what the host refuses goes back to the list.
    private long ShrinkFolioList(ScanControl sc, IReclaimHost host, ReclaimStat stat)
    {
        var reclaimed = 0L;
        _kept.Clear();
        foreach (var pfn in _isolated)
        {
            var state = _table.State(pfn);
            var type = FolioLruState.Type(state);
            var tier = _evictionTier[pfn];
            sc.NrScanned += 1L << OrderOf(pfn);
            if (type == LruType.File && sc.MayUnmap && !host.IsMapped(pfn)
                && host.RemoveFromPageCache(pfn, EvictionToken(type, state)))
            {
                var pages = 1L << OrderOf(pfn);
                _evicted[(int)type, tier] += pages;
                _evictionTier.Remove(pfn);
                _largeOrders.Remove(pfn);
                _table.SetState(pfn, 0);
                host.Free(pfn);
                reclaimed += pages;
                continue;
            }
            _kept.Add(pfn);
        }
        foreach (var pfn in _kept)
        {
            _evictionTier.Remove(pfn);
            var state = _table.State(pfn);
            var type = FolioLruState.Type(state);
            var active = host.IsMapped(pfn) || FolioLruState.IsReferenced(state);
            if (active)
            {
                stat.CountActivate(1L << OrderOf(pfn));
            }
            var zone = FolioLruState.Zone(state);
            _table.SetState(pfn, 0);
            AddBack(pfn, zone, type, active);
        }
        return reclaimed;
    }

    // lru_gen_eviction: the shadow entry remembers the node, the oldest generation when the folio left, its refs
    // less one and whether it had any, so that a refault can tell whether it came back while that generation was
    // still the oldest (workingset.c's pack_shadow, with the memcg id left out: one root memcg).
    private long EvictionToken(LruType type, ushort state)
    {
        var refs = LruRefs(state);
        var token = (_minSeq[(int)type] << 2) | (long)Math.Max(refs - 1, 0);
        return (((token << 10) | (uint)Node) << 1) | (refs != 0 ? 1L : 0);
    }

    /// <summary>
    /// lru_gen_refault: a page read back into a slot that held <paramref name="shadow"/>. Counts the refault on the
    /// node it was evicted from (none if it came back on another node); a refault from the current oldest
    /// generation feeds the tier's refault rate (workingset_activate), and one of a folio that was used often comes
    /// back with its references (workingset_restore).
    /// </summary>
    public void Refault(long pfn, long shadow)
    {
        var workingset = (shadow & 1) != 0;
        var node = (int)((shadow >> 1) & 0x3FF);
        var token = shadow >> 11;
        var state = _table.State(pfn);
        if (node != Node || !FolioLruState.OnLru(state))
        {
            return;
        }
        var type = FolioLruState.Type(state);
        _workingset[(int)NodeStatItem.WorkingsetRefaultAnon + (int)type]++;
        if (token >> 2 != _minSeq[(int)type])
        {
            return;
        }
        var refs = (int)(token & 3) + (workingset ? 1 : 0);
        _refaulted[(int)type, TierFromRefs(refs)]++;
        _workingset[(int)NodeStatItem.WorkingsetActivateAnon + (int)type]++;
        if (refs >= FolioLruState.MaxRefs)
        {
            _table.SetState(pfn, FolioLruState.SetWorkingset(FolioLruState.WithRefs(state, FolioLruState.MaxRefs), true));
            _workingset[(int)NodeStatItem.WorkingsetRestoreAnon + (int)type]++;
        }
    }

    private readonly long[] _workingset = new long[Counters<NodeStatItem>.Count];

    /// <summary>A workingset_* counter of this node (workingset_refault_file, ...).</summary>
    public long Workingset(NodeStatItem item) => _workingset[(int)item];

    /// <summary>
    /// This node's LRU items as node_stat_item has them: the four lists' sizes (nr_inactive_anon ...) and the
    /// workingset refault counters.
    /// </summary>
    public void AddNodeStats(NodeStatDeltas deltas)
    {
        deltas.Add(Node, NodeStatItem.NrInactiveAnon, Size(LruList.InactiveAnon));
        deltas.Add(Node, NodeStatItem.NrActiveAnon, Size(LruList.ActiveAnon));
        deltas.Add(Node, NodeStatItem.NrInactiveFile, Size(LruList.InactiveFile));
        deltas.Add(Node, NodeStatItem.NrActiveFile, Size(LruList.ActiveFile));
        for (var item = NodeStatItem.WorkingsetRefaultAnon; item <= NodeStatItem.WorkingsetRestoreFile; item++)
        {
            deltas.Add(Node, item, _workingset[(int)item]);
        }
    }

    // get_tier_idx: tiers above the returned one are protected; a tier whose refault rate is not below tier 0's
    // (the PID controller's positive error) is not.
    private int TierIdx(LruType type)
    {
        var sp = CtrlPos(type, 0, 1);
        var tier = 1;
        for (; tier < MaxNrTiers; tier++)
        {
            var pv = CtrlPos(type, tier, 2);
            if (!PositiveCtrlErr(sp, pv))
            {
                break;
            }
        }
        return tier - 1;
    }

    private (long Refaulted, long Total, int Gain) CtrlPos(LruType type, int tier, int gain)
    {
        var t = (int)type;
        var refaulted = _avgRefaulted[t, tier] + _refaulted[t, tier];
        var total = _avgTotal[t, tier] + _evicted[t, tier] + (tier > 0 ? _protected[t, tier - 1] : 0);
        return (refaulted, total, gain);
    }

    private static bool PositiveCtrlErr((long Refaulted, long Total, int Gain) sp, (long Refaulted, long Total, int Gain) pv) =>
        pv.Refaulted < MinLruBatch
        || pv.Refaulted * (sp.Total + MinLruBatch) * sp.Gain <= (sp.Refaulted + 1) * pv.Total * pv.Gain;

    // reset_ctrl_pos with carryover, as min_seq advances: the averages take in this generation's counts.
    private void ResetCtrlPos(LruType type)
    {
        var t = (int)type;
        for (var tier = 0; tier < MaxNrTiers; tier++)
        {
            var total = _evicted[t, tier] + (tier > 0 ? _protected[t, tier - 1] : 0);
            _avgRefaulted[t, tier] = (_avgRefaulted[t, tier] + _refaulted[t, tier]) / 2;
            _avgTotal[t, tier] = (_avgTotal[t, tier] + total) / 2;
            _evicted[t, tier] = 0;
            _refaulted[t, tier] = 0;
            if (tier > 0)
            {
                _protected[t, tier - 1] = 0;
            }
        }
    }
}
