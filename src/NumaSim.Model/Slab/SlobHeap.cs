using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Slab;

/// <summary>
/// SLOB's heap (mm/slob.c as of 6.3): pages cut into blocks of SLOB_UNITs (2 bytes with 4 KiB pages), each page on
/// one of three free lists by the size that put it there (small &lt; 256 &lt;= medium &lt; 1024 &lt;= large). slob_alloc
/// walks the list for the request's size, skips pages of other nodes when a node is given and pages with too few
/// free units, takes the first block that fits in the first page that has one (aligning by splitting the block's
/// head), and rotates that page to the front; with no fit it takes a new page (order 0, the caller's gfp) to the
/// list's head. slob_free puts blocks back in address order, merging neighbours; a page with every unit free goes
/// straight back to the page allocator. Every SLOB cache and kmalloc share one heap per kernel (per
/// <see cref="SlabPageMap"/>). SLOB has no debugging: bad frees are refused silently (the kernel would corrupt the
/// heap).
/// </summary>
internal sealed class SlobHeap : ISlabPageOwner
{
    /// <summary>SLOB_BREAK1 / SLOB_BREAK2.</summary>
    public const int Break1 = 256;

    public const int Break2 = 1024;

    /// <summary>max(ARCH_KMALLOC_MINALIGN, arch_slab_minalign()) on x86-64: kmalloc's header word and minimum alignment.</summary>
    public const int KmallocMinAlign = 8;

    private readonly SlabPageMap _map;
    private readonly SlobPageList _small = new();
    private readonly SlobPageList _medium = new();
    private readonly SlobPageList _large = new();
    private readonly Dictionary<long, SlobPage> _slobPages = [];
    private readonly Dictionary<long, (SlobAllocator Owner, int Order)> _bigBlocks = [];
    private readonly List<SlabDebugReport> _reports = [];

    public SlobHeap(SlabPageMap map, IPageSource pages, int pageSize, KernelTaint taint)
    {
        _map = map;
        Pages = pages;
        PageSize = pageSize;
        Taint = taint;
        Unit = UnitSize(pageSize);
        UnitsPerPage = pageSize / Unit;
    }

    public IPageSource Pages { get; }

    public int PageSize { get; }

    public KernelTaint Taint { get; }

    /// <summary>SLOB_UNIT.</summary>
    public int Unit { get; }

    /// <summary>SLOB_UNITS(PAGE_SIZE).</summary>
    public int UnitsPerPage { get; }

    /// <summary>Pages cut into blocks.</summary>
    public int SlobPages => _slobPages.Count;

    /// <summary>Pages of objects of PAGE_SIZE or more (slob_new_pages for a cache).</summary>
    public long BigPages { get; private set; }

    /// <summary>Pages on the small, medium and large free lists.</summary>
    public (int Small, int Medium, int Large) FreeLists => (_small.Count, _medium.Count, _large.Count);

    string ISlabPageOwner.Name => "slob";

    /// <summary>SLOB_UNIT: sizeof(slobidx_t), s16 while PAGE_SIZE &lt;= 32767 * 2, else s32.</summary>
    public static int UnitSize(int pageSize) => pageSize <= 32767 * 2 ? 2 : 4;

    /// <summary>SLOB_UNITS(size).</summary>
    public static int Units(int size, int pageSize) => (size + UnitSize(pageSize) - 1) / UnitSize(pageSize);

    /// <summary>
    /// slob_alloc: a block of <paramref name="size"/> bytes whose address + <paramref name="alignOffset"/> is aligned
    /// to <paramref name="align"/>. <paramref name="node"/> -1 accepts any page and grows on
    /// <paramref name="homeNode"/> (alloc_pages under the default policy); a node restricts the search to its pages
    /// and grows there (__alloc_pages_node, which may still fall back unless __GFP_THISNODE).
    /// </summary>
    public bool TryAlloc(
        int size, Gfp gfp, int align, int node, int alignOffset, int homeNode, SlobAllocator owner, int requested, bool kmalloc, out ObjectAddress block)
    {
        var units = Units(size, PageSize);
        var list = ListFor(size);
        for (var at = list.First; at is not null; at = at.Next)
        {
            var sp = at.Value;
            if ((node != -1 && sp.Node != node) || sp.FreeUnits < units)
            {
                continue;
            }
            var start = PageAlloc(sp, units, align, alignOffset, out var removed);
            if (start < 0)
            {
                continue;
            }
            if (!removed)
            {
                list.RotateToFront(sp);
            }
            block = Take(sp, start, units, owner, requested, kmalloc);
            return true;
        }

        if (!Pages.TryAllocatePages(node == -1 ? homeNode : node, 0, gfp & ~Gfp.Zero, out var pfn, out var served))
        {
            block = ObjectAddress.Null;
            return false;
        }
        var page = new SlobPage(pfn, served < 0 ? (node == -1 ? homeNode : node) : served, UnitsPerPage);
        _slobPages.Add(pfn, page);
        _map.AddOwned(this, pfn, 0, page.Node);
        list.AddHead(page);
        var first = PageAlloc(page, units, align, alignOffset, out _);
        if (first < 0)
        {
            // The kernel BUG()s: the request does not fit an empty page once aligned.
            ReleasePage(page);
            block = ObjectAddress.Null;
            return false;
        }
        block = Take(page, first, units, owner, requested, kmalloc);
        return true;
    }

    /// <summary>slob_new_pages for a cache object of PAGE_SIZE or more: the caller's gfp, no __GFP_COMP.</summary>
    public bool TryAllocPages(SlobAllocator owner, int order, Gfp gfp, int node, int homeNode, out ObjectAddress block)
    {
        if (!Pages.TryAllocatePages(node == -1 ? homeNode : node, order, gfp & ~Gfp.Zero, out var pfn, out var served))
        {
            block = ObjectAddress.Null;
            return false;
        }
        _bigBlocks.Add(pfn, (owner, order));
        _map.AddOwned(this, pfn, order, served < 0 ? homeNode : served);
        BigPages += 1L << order;
        owner.OnAllocated(pfn, 1L << order);
        block = ObjectAddress.FromPfn(pfn, PageSize);
        return true;
    }

    /// <summary>kmem_cache_free for a SLOB cache (__kmem_cache_free): the block at <paramref name="address"/>.</summary>
    public bool FreeCacheObject(SlobAllocator cache, in SlabPageEntry entry, ObjectAddress address)
    {
        if (_bigBlocks.TryGetValue(entry.HeadPfn, out var big))
        {
            if (!ReferenceEquals(big.Owner, cache) || address != ObjectAddress.FromPfn(entry.HeadPfn, PageSize))
            {
                return Refuse(cache, SlabDebugKind.InvalidPointer, address);
            }
            _bigBlocks.Remove(entry.HeadPfn);
            _map.Remove(entry.HeadPfn, big.Order);
            Pages.FreePages(entry.HeadPfn, big.Order);
            BigPages -= 1L << big.Order;
            cache.OnFreed(entry.HeadPfn, 1L << big.Order);
            return true;
        }
        if (!TryFindBlock(entry, address, out var sp, out var start, out var used))
        {
            return Refuse(cache, sp is not null && start >= 0 && IsFree(sp, start) ? SlabDebugKind.DoubleFree : SlabDebugKind.InvalidPointer, address);
        }
        if (used.Kmalloc || !ReferenceEquals(used.Owner, cache))
        {
            // SLOB has no cache_from_obj: it would free c->size bytes of someone else's block.
            return Refuse(cache, SlabDebugKind.WrongCache, address);
        }
        Release(sp!, start, used);
        return true;
    }

    /// <summary>kfree: the block's header word is 8 bytes before <paramref name="address"/>; slob_free(m, *m + 8).</summary>
    public bool Kfree(in SlabPageEntry entry, ObjectAddress address)
    {
        if (!TryFindBlock(entry, address.Add(-KmallocMinAlign), out var sp, out var start, out var used) || !used.Kmalloc)
        {
            // Not kmalloc memory (or freed already): SLOB would read a size out of whatever precedes it.
            var kind = sp is not null && start >= 0 && IsFree(sp, start) ? SlabDebugKind.DoubleFree : SlabDebugKind.InvalidPointer;
            _reports.Add(new SlabDebugReport(kind, "kmalloc", address, [], Silent: true));
            return false;
        }
        Release(sp!, start, used);
        return true;
    }

    /// <summary>__ksize: SLOB_UNITS(*m) * SLOB_UNIT for kmalloc blocks; the cache's object size otherwise (SLOB's
    /// ksize is only defined for kmalloc).</summary>
    public long Ksize(in SlabPageEntry entry, ObjectAddress address)
    {
        if (_bigBlocks.TryGetValue(entry.HeadPfn, out var big))
        {
            return big.Owner.Cache.ObjectSize;
        }
        if (TryFindBlock(entry, address.Add(-KmallocMinAlign), out _, out _, out var used) && used.Kmalloc)
        {
            return (long)Units(used.Requested, PageSize) * Unit;
        }
        return TryFindBlock(entry, address, out _, out _, out used) ? used.Owner.Cache.ObjectSize : 0;
    }

    public IReadOnlyList<SlabDebugReport> DrainReports()
    {
        if (_reports.Count == 0)
        {
            return [];
        }
        var drained = _reports.ToArray();
        _reports.Clear();
        return drained;
    }

    bool ISlabPageOwner.FreeFromPage(int cpu, in SlabPageEntry entry, ObjectAddress address, bool kfree)
    {
        if (kfree)
        {
            return Kfree(entry, address);
        }
        if (_bigBlocks.TryGetValue(entry.HeadPfn, out var big))
        {
            return FreeCacheObject(big.Owner, entry, address);
        }
        return TryFindBlock(entry, address, out _, out _, out var used) && !used.Kmalloc
            ? FreeCacheObject(used.Owner, entry, address)
            : Kfree(entry, address);
    }

    long ISlabPageOwner.Ksize(in SlabPageEntry entry, ObjectAddress address) => Ksize(entry, address);

    /// <summary>SLOB keeps no bytes: there is nothing to check them against.</summary>
    int ISlabPageOwner.Write(ObjectAddress address, int offset, int length, byte value) => 0;

    bool ISlabPageOwner.TryRead(ObjectAddress address, int offset, Span<byte> destination) => false;

    private SlobPageList ListFor(int size) => size < Break1 ? _small : size < Break2 ? _medium : _large;

    /// <summary>
    /// slob_page_alloc: the first free block of the page that holds <paramref name="units"/> after aligning; an
    /// aligned start splits the head off as its own free block; an exact fit unlinks the block, else its tail stays
    /// free. A page left with no free unit leaves its list. Returns the start unit or -1.
    /// </summary>
    private int PageAlloc(SlobPage sp, int units, int align, int alignOffset, out bool removed)
    {
        removed = false;
        var pageBase = ObjectAddress.FromPfn(sp.Pfn, PageSize).Value;
        for (var k = 0; k < sp.Free.Count; k++)
        {
            var (start, avail) = sp.Free[k];
            var delta = 0;
            if (align != 0)
            {
                var cur = pageBase + (ulong)(start * Unit);
                var aligned = ((cur + (ulong)alignOffset + (ulong)align - 1) & ~((ulong)align - 1)) - (ulong)alignOffset;
                delta = (int)((aligned - cur) / (ulong)Unit);
            }
            if (avail < units + delta)
            {
                continue;
            }
            if (delta > 0)
            {
                sp.Free[k] = new SlobPage.FreeBlock(start, delta);
                k++;
                start += delta;
                avail -= delta;
                sp.Free.Insert(k, new SlobPage.FreeBlock(start, avail));
            }
            if (avail == units)
            {
                sp.Free.RemoveAt(k);
            }
            else
            {
                sp.Free[k] = new SlobPage.FreeBlock(start + units, avail - units);
            }
            sp.FreeUnits -= units;
            if (sp.FreeUnits == 0)
            {
                sp.List!.Remove(sp);
                removed = true;
            }
            return start;
        }
        return -1;
    }

    private ObjectAddress Take(SlobPage sp, int start, int units, SlobAllocator owner, int requested, bool kmalloc)
    {
        sp.Used.Add(start, new SlobPage.UsedBlock(owner, units, requested, kmalloc));
        owner.OnAllocated(sp.Pfn, 1);
        return ObjectAddress.FromPfn(sp.Pfn, PageSize, (long)start * Unit);
    }

    private static bool IsFree(SlobPage sp, int unit) => sp.Free.Exists(b => unit >= b.Start && unit < b.Start + b.Units);

    private bool TryFindBlock(in SlabPageEntry entry, ObjectAddress block, out SlobPage? sp, out int start, out SlobPage.UsedBlock used)
    {
        used = default;
        start = -1;
        if (!_slobPages.TryGetValue(entry.HeadPfn, out sp))
        {
            return false;
        }
        var offset = (long)(block.Value - ObjectAddress.FromPfn(sp.Pfn, PageSize).Value);
        if (offset < 0 || offset >= PageSize || offset % Unit != 0)
        {
            return false;
        }
        start = (int)(offset / Unit);
        return sp.Used.TryGetValue(start, out used);
    }

    /// <summary>
    /// slob_free: the page goes straight back when every unit is free again; a full page becomes partially free with
    /// this block alone and joins the list for the freed size; otherwise the block is inserted in address order
    /// and merged with free neighbours.
    /// </summary>
    private void Release(SlobPage sp, int start, SlobPage.UsedBlock used)
    {
        sp.Used.Remove(start);
        used.Owner.OnFreed(sp.Pfn, 1);
        var units = used.Units;
        var size = used.Kmalloc ? used.Requested + KmallocMinAlign : used.Owner.Cache.Size;
        if (sp.FreeUnits + units == UnitsPerPage)
        {
            ReleasePage(sp);
            return;
        }
        if (sp.List is null)
        {
            sp.FreeUnits = units;
            sp.Free.Clear();
            sp.Free.Add(new SlobPage.FreeBlock(start, units));
            ListFor(size).AddHead(sp);
            return;
        }
        sp.FreeUnits += units;
        var k = 0;
        while (k < sp.Free.Count && sp.Free[k].Start < start)
        {
            k++;
        }
        var merged = new SlobPage.FreeBlock(start, units);
        if (k < sp.Free.Count && start + units == sp.Free[k].Start)
        {
            merged = merged with { Units = units + sp.Free[k].Units };
            sp.Free.RemoveAt(k);
        }
        if (k > 0 && sp.Free[k - 1].Start + sp.Free[k - 1].Units == start)
        {
            sp.Free[k - 1] = sp.Free[k - 1] with { Units = sp.Free[k - 1].Units + merged.Units };
        }
        else
        {
            sp.Free.Insert(k, merged);
        }
    }

    private void ReleasePage(SlobPage sp)
    {
        sp.List?.Remove(sp);
        _slobPages.Remove(sp.Pfn);
        _map.Remove(sp.Pfn, 0);
        Pages.FreePages(sp.Pfn, 0);
    }

    private bool Refuse(SlobAllocator cache, SlabDebugKind kind, ObjectAddress address)
    {
        cache.AddSilentReport(kind, address);
        return false;
    }
}
