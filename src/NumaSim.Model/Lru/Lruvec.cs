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
public sealed class Lruvec
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
        Array.Fill(_lists, FolioList.Empty);
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
        if (Contains(pfn))
        {
            throw new InvalidOperationException($"pfn {pfn} is already on node {Node}'s LRU");
        }
        // A faulted folio is set active and goes to max_seq; an anonymous one not yet in the swap cache would go to
        // max_seq - 1 otherwise; everything else starts in the oldest generation of its type.
        var seq = how == LruAdd.Fault ? MaxSeq : type == LruType.Anon ? MaxSeq - 1 : _minSeq[(int)type];
        var gen = GenFromSeq(seq);
        _table.SetState(pfn, FolioLruState.Make(gen, type, zone));
        if (order > 0)
        {
            _largeOrders[pfn] = order;
        }
        var slot = Slot(gen, type, zone);
        _lists[slot].AddHead(_table, pfn);
        _nrPages[slot] += 1L << order;
    }

    /// <summary>lru_gen_del_folio: the folio leaves the LRU (freed, truncated or isolated for reclaim).</summary>
    public void Remove(long pfn)
    {
        var state = _table.State(pfn);
        if (!FolioLruState.OnLru(state))
        {
            throw new InvalidOperationException($"pfn {pfn} is not on node {Node}'s LRU");
        }
        var slot = Slot(FolioLruState.Gen(state), FolioLruState.Type(state), FolioLruState.Zone(state));
        _lists[slot].Remove(_table, pfn);
        _nrPages[slot] -= 1L << OrderOf(pfn);
        _largeOrders.Remove(pfn);
        _table.SetState(pfn, 0);
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

    /// <summary>
    /// The tier of a folio (lru_tier_from_refs): 0 for a folio read once, then one more per access counted, as
    /// folio_lru_refs + PG_referenced/PG_workingset give it.
    /// </summary>
    public int Tier(long pfn)
    {
        var state = _table.State(pfn);
        var refs = FolioLruState.IsWorkingset(state) ? FolioLruState.Refs(state) + 2 : FolioLruState.IsReferenced(state) ? 1 : 0;
        // order_base_2(refs + 1)
        return refs switch { 0 => 0, 1 => 1, 2 or 3 => 2, _ => 3 };
    }

    /// <summary>The oldest folio of a type in one zone (the tail of min_seq's list), or -1.</summary>
    public long Oldest(LruType type, int zone) => _lists[Slot(GenFromSeq(_minSeq[(int)type]), type, zone)].Tail;

    /// <summary>Moves a folio to another generation's list head (folio_update_gen / lru_gen_update_size).</summary>
    public void MoveToSeq(long pfn, long seq, bool resetRefs)
    {
        var state = _table.State(pfn);
        var type = FolioLruState.Type(state);
        var zone = FolioLruState.Zone(state);
        var from = Slot(FolioLruState.Gen(state), type, zone);
        var gen = GenFromSeq(seq);
        var to = Slot(gen, type, zone);
        var pages = 1L << OrderOf(pfn);
        _lists[from].Remove(_table, pfn);
        _nrPages[from] -= pages;
        _lists[to].AddHead(_table, pfn);
        _nrPages[to] += pages;
        state = FolioLruState.WithGen(state, gen);
        if (resetRefs)
        {
            state = FolioLruState.SetReferenced(FolioLruState.WithRefs(state, 0), false);
        }
        _table.SetState(pfn, state);
    }

    /// <summary>Generations a type holds now (max_seq - min_seq + 1).</summary>
    public int NrGens(LruType type) => (int)(MaxSeq - _minSeq[(int)type] + 1);

    /// <summary>
    /// inc_max_seq: a new youngest generation. A type already holding MAX_NR_GENS first folds its oldest
    /// generation into the next one (inc_min_seq), so a generation is never reused while it still holds folios.
    /// </summary>
    public void IncMaxSeq()
    {
        foreach (var type in new[] { LruType.Anon, LruType.File })
        {
            if (NrGens(type) == MaxNrGens)
            {
                IncMinSeq(type);
            }
        }
        MaxSeq++;
    }

    /// <summary>try_to_inc_min_seq: the oldest generations that emptied are retired.</summary>
    public bool TryIncMinSeq(LruType type)
    {
        var moved = false;
        while (NrGens(type) > MinNrGens && Empty(_minSeq[(int)type], type))
        {
            _minSeq[(int)type]++;
            moved = true;
        }
        return moved;
    }

    private void IncMinSeq(LruType type)
    {
        var old = _minSeq[(int)type];
        for (var zone = 0; zone < Zones; zone++)
        {
            var slot = Slot(GenFromSeq(old), type, zone);
            while (_lists[slot].Tail >= 0)
            {
                MoveToSeq(_lists[slot].Tail, old + 1, resetRefs: false);
            }
        }
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
