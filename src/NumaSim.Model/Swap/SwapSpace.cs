using NumaSim.Model.Topology;
using NumaSim.Model.Stats;

namespace NumaSim.Model.Swap;

/// <summary>
/// The machine's one swap device (struct swap_info_struct, mm/swapfile.c) and its swap cache (mm/swap_state.c):
/// si->pages slots, each with its swap_map count (the swap entries in page tables that name it) and
/// SWAP_HAS_CACHE while a folio for it is in the swap cache; the cache maps a slot to that folio, or to the shadow
/// entry its eviction left. A slot is in use (inuse_pages) from folio_alloc_swap until no page table names it and
/// no folio caches it.
/// </summary>
public sealed class SwapSpace
{
    private readonly Dictionary<long, int> _map = [];
    private readonly Dictionary<long, long> _cache = [];
    private readonly Dictionary<long, (long Slot, int Zone)> _cached = [];
    private readonly Dictionary<long, long> _shadows = [];
    private readonly SortedSet<long> _freed = [];
    private readonly long[] _cachedByNode;
    private long _next = 1;

    /// <param name="pages">si->pages: the usable slots.</param>
    /// <param name="nodes">The machine's nodes, for NR_SWAPCACHE per node.</param>
    public SwapSpace(long pages, int nodes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pages);
        Pages = pages;
        _cachedByNode = new long[nodes];
    }

    /// <summary>
    /// si->pages of a swap area of <paramref name="bytes"/>: mkswap's header takes the first page (a 1 GiB area
    /// shows SwapTotal 1048572 kB).
    /// </summary>
    public static long PagesFor(long bytes, int pageSize) => Math.Max(bytes / pageSize - 1, 0);

    public long Pages { get; }

    /// <summary>si->inuse_pages.</summary>
    public long InusePages { get; private set; }

    /// <summary>get_nr_swap_pages: the slots still free (SwapFree).</summary>
    public long FreePages => Pages - InusePages;

    /// <summary>vm_swap_full: more than half the slots in use; swap-in then gives a slot up at once.</summary>
    public bool Full => InusePages * 2 > Pages;

    /// <summary>total_swapcache_pages: folios in the swap cache (SwapCached).</summary>
    public long CachedPages => _cache.Count;

    /// <summary>NR_SWAPCACHE of one node.</summary>
    public long CachedPagesOn(int node) => _cachedByNode[node];

    /// <summary>
    /// The swap cache's share of the node stats: NR_SWAPCACHE, and NR_FILE_PAGES, where add_to_swap_cache counts
    /// a swap-cache folio too (meminfo's Cached subtracts it again); the page cache adds its own share.
    /// </summary>
    public void AddNodeStats(NodeStatDeltas deltas)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        for (var node = 0; node < _cachedByNode.Length; node++)
        {
            deltas.Add(node, NodeStatItem.NrSwapcached, _cachedByNode[node]);
            deltas.Add(node, NodeStatItem.NrFilePages, _cachedByNode[node]);
        }
    }

    /// <summary>
    /// add_to_swap: a slot for the folio (folio_alloc_swap: the lowest freed one, else the next never used, as a
    /// cluster allocator walking forward would) and the folio in the swap cache under it. Returns the slot, or -1 when
    /// the device is full.
    /// </summary>
    public long AddToSwap(long pfn, int zone)
    {
        if (_cached.ContainsKey(pfn))
        {
            throw new InvalidOperationException($"pfn {pfn} is already in the swap cache");
        }
        long slot;
        if (_freed.Count > 0)
        {
            slot = _freed.Min;
            _freed.Remove(slot);
        }
        else if (_next <= Pages)
        {
            slot = _next++;
        }
        else
        {
            return -1;
        }
        InusePages++;
        _map[slot] = 0;
        _shadows.Remove(slot);
        Cache(slot, pfn, zone);
        return slot;
    }

    /// <summary>The slot a folio in the swap cache holds (folio->swap), or -1.</summary>
    public long SlotOf(long pfn) => _cached.TryGetValue(pfn, out var entry) ? entry.Slot : -1;

    /// <summary>swap_cache_get_folio: the folio cached for a slot and its zone, or (-1, -1).</summary>
    public (long Pfn, int Zone) Lookup(long slot) => _cache.TryGetValue(slot, out var pfn) ? (pfn, _cached[pfn].Zone) : (-1, -1);

    /// <summary>swap_duplicate: one more page-table entry names the slot (try_to_unmap wrote it).</summary>
    public void Duplicate(long slot) => _map[slot] = Count(slot) + 1;

    /// <summary>Page-table entries that name the slot (swap_map's count, SWAP_HAS_CACHE aside).</summary>
    public int Count(long slot) =>
        _map.TryGetValue(slot, out var count) ? count : throw new InvalidOperationException($"swap slot {slot} is not in use");

    /// <summary>
    /// swap_read_folio's caller (__read_swap_cache_async): a new folio for the slot goes into the swap cache, and
    /// the shadow the slot held is handed back for workingset_refault (-1: none).
    /// </summary>
    public long AddReadFolio(long slot, long pfn, int zone)
    {
        if (_cache.ContainsKey(slot))
        {
            throw new InvalidOperationException($"swap slot {slot} already has a folio in the swap cache");
        }
        Count(slot);
        Cache(slot, pfn, zone);
        return _shadows.Remove(slot, out var shadow) ? shadow : -1;
    }

    /// <summary>
    /// __delete_from_swap_cache and put_swap_folio: the folio leaves the cache (with <paramref name="shadow"/> in
    /// its slot when reclaim evicted it, -1 when it stays in memory: folio_free_swap); the slot goes free when no
    /// page table names it either. Returns the slot it held.
    /// </summary>
    public long DeleteFromSwapCache(long pfn, long shadow)
    {
        if (!_cached.Remove(pfn, out var entry))
        {
            throw new InvalidOperationException($"pfn {pfn} is not in the swap cache");
        }
        _cache.Remove(entry.Slot);
        _cachedByNode[ZoneIndex.Node(entry.Zone)]--;
        if (shadow >= 0)
        {
            _shadows[entry.Slot] = shadow;
        }
        FreeIfUnused(entry.Slot);
        return entry.Slot;
    }

    /// <summary>
    /// swap_free (do_swap_page mapped the folio, or zap_pte_range dropped the entry): one page-table entry less
    /// names the slot; the slot goes free when none does and no folio caches it.
    /// </summary>
    public void SwapFree(long slot)
    {
        var count = Count(slot);
        if (count == 0)
        {
            throw new InvalidOperationException($"swap slot {slot} is named by no page table");
        }
        _map[slot] = count - 1;
        FreeIfUnused(slot);
    }

    private void Cache(long slot, long pfn, int zone)
    {
        _cache[slot] = pfn;
        _cached[pfn] = (slot, zone);
        _cachedByNode[ZoneIndex.Node(zone)]++;
    }

    // swap_range_free: the slot and its shadow go (clear_shadow_from_swap_cache).
    private void FreeIfUnused(long slot)
    {
        if (_map[slot] > 0 || _cache.ContainsKey(slot))
        {
            return;
        }
        _map.Remove(slot);
        _shadows.Remove(slot);
        _freed.Add(slot);
        InusePages--;
    }
}
