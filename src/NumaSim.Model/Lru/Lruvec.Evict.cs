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
    private readonly List<long> _written = [];

    // The pages after the first of huge folios this pass split for swap (SplitForSwap), each to take its own pass.
    private readonly List<long> _splitTails = [];

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
        var scanned = IsolateFolios(sc, swappiness, stat, out var type);
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

    /// <summary>MAX_SWAPPINESS: vm.swappiness at which anon is scanned first.</summary>
    public const int MaxSwappiness = 200;

    // isolate_folios: the obvious choice first (no swap: file; an older anon generation: anon; swappiness 1 or 200;
    // no __GFP_IO: file), else get_type_to_scan; the other type when the chosen one has nothing to give.
    private long IsolateFolios(ScanControl sc, int swappiness, ReclaimStat stat, out LruType type)
    {
        var tier = -1;
        if (swappiness == 0)
        {
            type = LruType.File;
        }
        else if (_minSeq[0] < _minSeq[1])
        {
            type = LruType.Anon;
        }
        else if (swappiness == 1 || !sc.MayIo)
        {
            type = LruType.File;
        }
        else if (swappiness == MaxSwappiness)
        {
            type = LruType.Anon;
        }
        else
        {
            type = TypeToScan(swappiness, out tier);
        }
        for (var attempt = swappiness == 0 ? 1 : 0; attempt <= 1; attempt++)
        {
            var scanned = ScanFolios(sc, type, tier < 0 ? TierIdx(type) : tier, stat);
            if (scanned > 0)
            {
                return scanned;
            }
            type = type == LruType.File ? LruType.Anon : LruType.File;
            tier = -1;
        }
        return 0;
    }

    // get_type_to_scan: the PID controller compares tier 0's refault rates, anon weighted by swappiness and file by
    // 200 - swappiness: anon is scanned when file refaults more (a positive error means file); the chosen type's
    // tiers that refault more than the other type's tier 0 are protected.
    private LruType TypeToScan(int swappiness, out int tierIdx)
    {
        int[] gain = [swappiness, MaxSwappiness - swappiness];
        var type = PositiveCtrlErr(CtrlPos(LruType.Anon, 0, gain[0]), CtrlPos(LruType.File, 0, gain[1])) ? LruType.File : LruType.Anon;
        var other = type == LruType.File ? LruType.Anon : LruType.File;
        var sp = CtrlPos(other, 0, gain[(int)other]);
        var tier = 1;
        for (; tier < MaxNrTiers; tier++)
        {
            if (!PositiveCtrlErr(sp, CtrlPos(type, tier, gain[(int)type])))
            {
                break;
            }
        }
        tierIdx = tier - 1;
        return type;
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
            var skipped = 0L;
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
                else
                {
                    // What isolate_folio refused goes back at the head, so the scan moves on.
                    _lists[slot].Remove(_table, pfn);
                    _lists[slot].AddHead(_table, pfn);
                    skipped += delta;
                }
                if (--remaining == 0 || Math.Max(isolated, skipped) >= MinLruBatch)
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
    // entry and is freed; a mapped file folio is kept and goes back active (its young bit is not modelled: a mapped
    // file page is taken to be in use); an anonymous folio goes to swap (ShrinkAnon); what the host refuses goes
    // back to the list. With a demotion path the folios that would be reclaimed are migrated instead (Demote.cs).
    private long ShrinkFolioList(ScanControl sc, IReclaimHost host, ReclaimStat stat)
    {
        var reclaimed = 0L;
        _kept.Clear();
        _written.Clear();
        var demotePass = Demotion is not null;
        foreach (var pfn in _isolated)
        {
            sc.NrScanned += 1L << OrderOf(pfn);
            if (!QueueDemotion(pfn, demotePass, sc, host))
            {
                reclaimed += ShrinkFolio(pfn, sc, host, stat);
            }
        }
        reclaimed += DemoteFolioList(sc, host, stat);
        // lru_add_split_folio put a split folio's other pages at the end of the list (counted scanned with the folio).
        foreach (var pfn in _splitTails)
        {
            reclaimed += ShrinkFolio(pfn, sc, host, stat);
        }
        _splitTails.Clear();
        PutBack(host, stat);
        return reclaimed;
    }

    // The end of shrink_folio_list: what was kept goes back (move_folios_to_lru), what is being written goes to the
    // tail of the oldest generation when its write ends.
    private void PutBack(IReclaimHost host, ReclaimStat stat)
    {
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
        foreach (var pfn in _written)
        {
            RotateReclaimable(pfn, stat);
        }
    }

    // shrink_folio_list's verdict on one folio: the pages freed now (0 when it is kept or being written).
    private long ShrinkFolio(long pfn, ScanControl sc, IReclaimHost host, ReclaimStat stat)
    {
        var state = _table.State(pfn);
        var type = FolioLruState.Type(state);
        var freed = type == LruType.File
            ? sc.MayUnmap && !host.IsMapped(pfn) && host.RemoveFromPageCache(pfn, EvictionToken(type, state))
            : ShrinkAnon(pfn, state, host, stat);
        if (freed)
        {
            return Evicted(pfn, type, host);
        }
        if (!_written.Contains(pfn))
        {
            _kept.Add(pfn);
        }
        return 0;
    }

    /// <summary>
    /// shrink_folio_list for an anonymous folio (isolated only with swap or a demotion target to go to): a mapped one gets a swap slot
    /// and the swap cache (add_to_swap), its page-table entries become that slot's swap entry (try_to_unmap), and
    /// it is written (swap_writepage: pswpout); the write ends later, so the folio stays, to be freed by a later
    /// scan. One already unmapped and written leaves the swap cache with its shadow entry and is freed. No young
    /// bit is modelled: a mapped folio that aged into the oldest generation is taken to be unused (the page-table
    /// walk of aging would have promoted a used one). Returns whether the folio can be freed now.
    /// </summary>
    private bool ShrinkAnon(long pfn, ushort state, IReclaimHost host, ReclaimStat stat)
    {
        if (!host.IsMapped(pfn))
        {
            return host.RemoveFromSwapCache(pfn, EvictionToken(LruType.Anon, state));
        }
        if (OrderOf(pfn) > 0 && !SplitForSwap(pfn, state, host, stat))
        {
            return false;
        }
        var slot = host.AddToSwap(pfn);
        if (slot < 0 || !host.TryToUnmap(pfn, slot))
        {
            // activate_locked: no room in swap, or a mapping that would not go.
            _table.SetState(pfn, FolioLruState.SetReferenced(state, true));
            return false;
        }
        stat.Events.Count(VmEventItem.Pswpout, 1L << OrderOf(pfn));
        _written.Add(pfn);
        return false;
    }

    // add_to_swap cannot take a huge folio whole (the swap area has no free cluster of its size for it: a rotational
    // device, as QEMU's virtio disk is, gets none), so shrink_folio_list splits it (split_folio_to_list) and goes on
    // with its first page; the others join the end of the pass's list with the first's flags (lru_add_split_folio),
    // already counted scanned with the folio. One the host cannot split is activated (activate_locked). Returns
    // whether it was split.
    private bool SplitForSwap(long pfn, ushort state, IReclaimHost host, ReclaimStat stat)
    {
        var pages = 1L << OrderOf(pfn);
        if (!host.SplitFolio(pfn))
        {
            _table.SetState(pfn, FolioLruState.SetReferenced(state, true));
            return false;
        }
        stat.Events.Count(VmEventItem.ThpSwpoutFallback);
        _largeOrders.Remove(pfn);
        var tier = _evictionTier[pfn];
        for (var tail = pfn + 1; tail < pfn + pages; tail++)
        {
            _table.SetState(tail, state);
            _evictionTier[tail] = tier;
            _splitTails.Add(tail);
        }
        return true;
    }

    // __remove_mapping's success: lru_gen_eviction's counts, the folio's LRU state forgotten, the page freed.
    private long Evicted(long pfn, LruType type, IReclaimHost host)
    {
        var pages = 1L << OrderOf(pfn);
        _evicted[(int)type, _evictionTier[pfn]] += pages;
        _evictionTier.Remove(pfn);
        _largeOrders.Remove(pfn);
        _table.SetState(pfn, 0);
        host.Free(pfn);
        return pages;
    }

    // folio_end_writeback -> folio_rotate_reclaimable (lru_move_tail): the written folio goes to the tail of its
    // type's oldest generation (lru_gen_add_folio reclaiming), first for the next scan; pgrotated.
    private void RotateReclaimable(long pfn, ReclaimStat stat)
    {
        _evictionTier.Remove(pfn);
        var state = _table.State(pfn);
        var type = FolioLruState.Type(state);
        var zone = FolioLruState.Zone(state);
        var gen = GenFromSeq(_minSeq[(int)type]);
        _table.SetState(pfn, FolioLruState.WithGen(FolioLruState.SetReferenced(state, false), gen));
        var slot = Slot(gen, type, zone);
        _lists[slot].AddTail(_table, pfn);
        _nrPages[slot] += 1L << OrderOf(pfn);
        stat.Events.Count(VmEventItem.Pgrotated, 1L << OrderOf(pfn));
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
    /// back with its references (workingset_restore), as does every recent one that comes back in a page fault
    /// (<paramref name="inFault"/>: lru_gen_in_fault, a swap-in).
    /// </summary>
    public void Refault(long pfn, long shadow, bool inFault = false)
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
        if (inFault || refs >= FolioLruState.MaxRefs)
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
        AddDemotionStats(deltas);
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
