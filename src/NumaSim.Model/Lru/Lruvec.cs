namespace NumaSim.Model.Lru;

/// <summary>How a folio joins the LRU, which decides its generation (lru_gen_add_folio).</summary>
public enum LruAdd
{
    /// <summary>A page cache read (filemap_add_folio): the oldest generation, first to go.</summary>
    Cold,

    /// <summary>A folio mapped by a page fault (folio_add_lru_vma under lru_gen_in_fault): the youngest generation.</summary>
    Fault,
}

/// <summary>
/// One node's lruvec as the multi-gen LRU keeps it (struct lru_gen_folio, mm/vmscan.c, include/linux/mm_inline.h):
/// folios in generations max_seq down to min_seq per type, a list per (generation, type, zone). The two youngest
/// generations are what meminfo calls active, as lru_gen_update_size accounts them for compatibility.
/// </summary>
public sealed partial class Lruvec
{
    /// <summary>MIN_NR_GENS: eviction needs at least this many generations; aging makes a new one below it.</summary>
    public const int MinNrGens = 2;

    /// <summary>MAX_NR_GENS: the most generations a type may hold.</summary>
    public const int MaxNrGens = 4;

    /// <summary>MAX_NR_ZONES on x86-64 with ZONE_DEVICE off: DMA, DMA32, Normal, Movable.</summary>
    public const int Zones = 4;

    private readonly FolioTable _table = new();
    private readonly FolioList[] _lists = new FolioList[MaxNrGens * 2 * Zones];
    private readonly long[] _nrPages = new long[MaxNrGens * 2 * Zones];
    private readonly Dictionary<long, int> _largeOrders = [];
    private readonly long[] _minSeq = new long[2];

    public Lruvec(int node)
    {
        Node = node;
        for (var gen = 0; gen < MaxNrGens; gen++)
        {
            foreach (var type in new[] { LruType.Anon, LruType.File })
            {
                for (var zone = 0; zone < Zones; zone++)
                {
                    _lists[Slot(gen, type, zone)] = FolioList.Empty(FolioLruState.Make(gen, type, zone));
                }
            }
        }
        // lru_gen_init_lruvec: max_seq starts at MIN_NR_GENS + 1, both min_seqs at 0.
        MaxSeq = MinNrGens + 1;
    }

    public int Node { get; }

    public long MaxSeq { get; private set; }

    public long MinSeq(LruType type) => _minSeq[(int)type];

    /// <summary>lru_gen_from_seq.</summary>
    public static int GenFromSeq(long seq) => (int)(seq % MaxNrGens);

    public bool Contains(long pfn) => FolioLruState.OnLru(_table.State(pfn));

    /// <summary>Pages of a type in one generation (by sequence number) and zone.</summary>
    public long NrPages(long seq, LruType type, int zone) => _nrPages[Slot(GenFromSeq(seq), type, zone)];

    /// <summary>Pages on one of meminfo's lists, over every zone of the node (or one zone).</summary>
    public long Size(LruList list, int? zone = null)
    {
        if (list == LruList.Unevictable)
        {
            return 0;
        }
        var type = (int)list < 2 ? LruType.Anon : LruType.File;
        var active = ((int)list & 1) == 1;
        var total = 0L;
        for (var seq = _minSeq[(int)type]; seq <= MaxSeq; seq++)
        {
            if (IsActive(seq) != active)
            {
                continue;
            }
            for (var z = 0; z < Zones; z++)
            {
                if (zone is null || zone == z)
                {
                    total += _nrPages[Slot(GenFromSeq(seq), type, z)];
                }
            }
        }
        return total;
    }

    /// <summary>lru_gen_is_active: the two youngest generations count as active.</summary>
    public bool IsActive(long seq) => seq == MaxSeq || seq == MaxSeq - 1;

    /// <summary>lru_gen_add_folio: puts a folio of 2^order pages at the head of its generation's list.</summary>
    public void Add(long pfn, int zone, LruType type, int order, LruAdd how)
    {
        // The list refuses a folio that is already on one.
        var seq = SeqForAdd(type, how == LruAdd.Fault, reclaiming: false);
        var gen = GenFromSeq(seq);
        if (order > 0)
        {
            _largeOrders[pfn] = order;
        }
        var slot = Slot(gen, type, zone);
        _lists[slot].AddHead(_table, pfn);
        _table.SetState(pfn, FolioLruState.Make(gen, type, zone));
        _nrPages[slot] += 1L << order;
    }

    // lru_gen_add_folio: an active folio (faulted in, or kept by reclaim) goes to max_seq; an anonymous one not
    // in the swap cache to max_seq - 1; anything else to the second oldest generation, or the oldest when there
    // are only two or three, or when reclaim puts it back.
    private long SeqForAdd(LruType type, bool active, bool reclaiming)
    {
        if (active)
        {
            return MaxSeq;
        }
        if (type == LruType.Anon)
        {
            return MaxSeq - 1;
        }
        var min = _minSeq[(int)type];
        return reclaiming || min + MinNrGens >= MaxSeq ? min : min + 1;
    }

    /// <summary>lru_gen_del_folio: the folio leaves the LRU (freed or truncated).</summary>
    public void Remove(long pfn) => Remove(pfn, keepState: false);

    // Isolation keeps the folio's type, zone and references (reclaim still needs them); freeing forgets them.
    private void Remove(long pfn, bool keepState)
    {
        var state = _table.State(pfn);
        if (!FolioLruState.OnLru(state))
        {
            throw new InvalidOperationException($"pfn {pfn} is not on node {Node}'s LRU");
        }
        var slot = Slot(FolioLruState.Gen(state), FolioLruState.Type(state), FolioLruState.Zone(state));
        _lists[slot].Remove(_table, pfn);
        _nrPages[slot] -= 1L << OrderOf(pfn);
        if (keepState)
        {
            _table.SetState(pfn, FolioLruState.WithGen(state, -1));
            return;
        }
        _largeOrders.Remove(pfn);
        _table.SetState(pfn, 0);
    }

    // move_folios_to_lru after reclaim: a folio reclaim kept goes back at max_seq if it was in use, else where a
    // new folio of its type would go.
    private void AddBack(long pfn, int zone, LruType type, bool active)
    {
        var gen = GenFromSeq(SeqForAdd(type, active, reclaiming: false));
        var slot = Slot(gen, type, zone);
        _lists[slot].AddHead(_table, pfn);
        _table.SetState(pfn, FolioLruState.Make(gen, type, zone));
        _nrPages[slot] += 1L << OrderOf(pfn);
    }

    /// <summary>
    /// folio_mark_accessed under MGLRU (folio_inc_refs): the first access sets PG_referenced, the second
    /// PG_workingset, later ones count refs up to the tier limit. Nothing moves between lists: the access only
    /// changes which tier the folio is in when eviction looks at it.
    /// </summary>
    public void MarkAccessed(long pfn)
    {
        var state = _table.State(pfn);
        if (!FolioLruState.OnLru(state))
        {
            return;
        }
        if (!FolioLruState.IsReferenced(state))
        {
            state = FolioLruState.SetReferenced(state, true);
        }
        else if (!FolioLruState.IsWorkingset(state))
        {
            state = FolioLruState.SetWorkingset(state, true);
        }
        else if (FolioLruState.Refs(state) < FolioLruState.MaxRefs)
        {
            state = FolioLruState.WithRefs(state, FolioLruState.Refs(state) + 1);
        }
        _table.SetState(pfn, state);
    }

    /// <summary>The tier of a folio (lru_tier_from_refs over folio_lru_refs): 0 until its second access.</summary>
    public int Tier(long pfn) => TierFromRefs(LruRefs(_table.State(pfn)));

    // folio_lru_refs: accesses beyond the first, 0..4.
    private static int LruRefs(ushort state) => FolioLruState.Refs(state) + (FolioLruState.IsWorkingset(state) ? 1 : 0);

    // lru_tier_from_refs: order_base_2(refs + 1).
    private static int TierFromRefs(int refs) => refs switch { 0 => 0, 1 => 1, 2 or 3 => 2, _ => 3 };

    /// <summary>Generations a type holds now (max_seq - min_seq + 1).</summary>
    public int NrGens(LruType type) => (int)(MaxSeq - _minSeq[(int)type] + 1);

    /// <summary>
    /// inc_max_seq: a new youngest generation. A type already holding MAX_NR_GENS first retires its oldest
    /// (inc_min_seq): file folios in it move to the next generation; anonymous ones, with no swap to evict them to,
    /// stay in their slot, which becomes the new youngest generation, so they count as active again.
    /// </summary>
    public void IncMaxSeq(bool canSwap)
    {
        foreach (var type in new[] { LruType.File, LruType.Anon })
        {
            if (NrGens(type) == MaxNrGens)
            {
                IncMinSeq(type, canSwap);
            }
        }
        MaxSeq++;
    }

    /// <summary>try_to_inc_min_seq: the oldest generations that emptied are retired, down to MIN_NR_GENS.</summary>
    public bool TryIncMinSeq(bool canSwap)
    {
        var moved = false;
        for (var type = canSwap ? LruType.Anon : LruType.File; type <= LruType.File; type++)
        {
            while (_minSeq[(int)type] + MinNrGens <= MaxSeq && Empty(_minSeq[(int)type], type))
            {
                RetireOldest(type);
                moved = true;
            }
        }
        if (canSwap && _minSeq[(int)LruType.Anon] > _minSeq[(int)LruType.File])
        {
            // Anon may not be ahead of file (a file generation is always evictable).
            _minSeq[(int)LruType.Anon] = _minSeq[(int)LruType.File];
        }
        return moved;
    }

    private void IncMinSeq(LruType type, bool canSwap)
    {
        if (type == LruType.File || canSwap)
        {
            var old = GenFromSeq(_minSeq[(int)type]);
            for (var zone = 0; zone < Zones; zone++)
            {
                var slot = Slot(old, type, zone);
                while (_lists[slot].Tail >= 0)
                {
                    IncGen(_lists[slot].Tail, reclaiming: false);
                }
            }
        }
        RetireOldest(type);
    }

    // folio_inc_gen: from the oldest generation to the next, at its tail, forgetting the folio's references.
    private void IncGen(long pfn, bool reclaiming)
    {
        var state = _table.State(pfn);
        var type = FolioLruState.Type(state);
        var zone = FolioLruState.Zone(state);
        var from = Slot(FolioLruState.Gen(state), type, zone);
        var gen = GenFromSeq(_minSeq[(int)type] + 1);
        var to = Slot(gen, type, zone);
        var pages = 1L << OrderOf(pfn);
        _lists[from].Remove(_table, pfn);
        _nrPages[from] -= pages;
        if (reclaiming)
        {
            _lists[to].AddHead(_table, pfn);
        }
        else
        {
            _lists[to].AddTail(_table, pfn);
        }
        _nrPages[to] += pages;
        state = FolioLruState.WithGen(FolioLruState.WithRefs(state, 0), gen);
        _table.SetState(pfn, FolioLruState.SetWorkingset(FolioLruState.SetReferenced(state, false), false));
    }

    private void RetireOldest(LruType type)
    {
        ResetCtrlPos(type);
        _minSeq[(int)type]++;
    }

    private bool Empty(long seq, LruType type)
    {
        for (var zone = 0; zone < Zones; zone++)
        {
            if (_lists[Slot(GenFromSeq(seq), type, zone)].Count > 0)
            {
                return false;
            }
        }
        return true;
    }

    private int OrderOf(long pfn) => _largeOrders.TryGetValue(pfn, out var order) ? order : 0;

    private static int Slot(int gen, LruType type, int zone) => (gen * 2 + (int)type) * Zones + zone;
}
