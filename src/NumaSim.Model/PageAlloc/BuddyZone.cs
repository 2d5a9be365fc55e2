using NumaSim.Model.Topology;

namespace NumaSim.Model.PageAlloc;

/// <summary>
/// One zone's buddy allocator (mm/page_alloc.c): free blocks of orders 0..MaxOrder on free lists
/// per migratetype, split on allocation, merged with their buddy (pfn ^ (1 &lt;&lt; order)) on free,
/// pageblocks of PageblockOrder that carry a migratetype.
///
/// Host memory: one state byte per page (head flag, order, list migratetype) plus one bit per
/// possible block per (order, migratetype) in <see cref="HierarchicalBitmap"/>s that stand in for
/// the free lists (allocated on first use): about 1.3 bytes per simulated page. A free list is
/// served lowest PFN first, which keeps runs deterministic.
/// </summary>
public sealed partial class BuddyZone
{
    private const byte FreeFlag = 0x80;
    private const byte AllocFlag = 0x40;
    private const byte Reserved = FreeFlag | AllocFlag;
    private const byte OrderMask = 0x0f;
    private const int TypeShift = 4;

    private readonly byte[] _state;
    private readonly byte[] _pageblockType;
    private readonly HierarchicalBitmap?[] _freeLists;
    private readonly long[] _freeCount;
    private readonly long _base;

    public BuddyZone(ZoneSpec spec, Architecture arch)
    {
        Spec = spec;
        MaxOrder = arch.MaxOrder;
        PageblockOrder = arch.PageblockOrder;
        Orders = MaxOrder + 1;
        _base = spec.StartPfn & ~((1L << MaxOrder) - 1);
        var span = spec.EndPfn - _base;
        _state = new byte[spec.Spanned];
        _pageblockType = new byte[(span >> PageblockOrder) + 1];
        Array.Fill(_pageblockType, (byte)MigrateType.Movable);
        _freeLists = new HierarchicalBitmap?[Orders * MigrateTypes.Count];
        _freeCount = new long[Orders * MigrateTypes.Count];
        Boot();
    }

    public ZoneSpec Spec { get; }
    public int MaxOrder { get; }
    public int Orders { get; }
    public int PageblockOrder { get; }

    /// <summary>Pages on the free lists (NR_FREE_PAGES).</summary>
    public long FreePages { get; private set; }

    public long ManagedPages => Spec.Managed;

    /// <summary>Free blocks of this order on the free list of this migratetype.</summary>
    public long FreeBlocks(int order, MigrateType type) => _freeCount[Slot(order, type)];

    public long FreeBlocksAtOrder(int order)
    {
        long n = 0;
        for (var t = 0; t < MigrateTypes.Count; t++)
        {
            n += _freeCount[Slot(order, (MigrateType)t)];
        }
        return n;
    }

    /// <summary>Free pages in blocks of pageblock order or more (NR_FREE_PAGES_BLOCKS).</summary>
    public long FreePagesInPageblocks
    {
        get
        {
            long pages = 0;
            for (var o = PageblockOrder; o <= MaxOrder; o++)
            {
                pages += FreeBlocksAtOrder(o) << o;
            }
            return pages;
        }
    }

    /// <summary>Bit o set when a block of order o is free on an Unmovable, Movable or Reclaimable list.</summary>
    public int OrdersWithFreeBlocks
    {
        get
        {
            var mask = 0;
            for (var o = 0; o <= MaxOrder; o++)
            {
                for (var t = 0; t < MigrateTypes.PcpTypes; t++)
                {
                    if (_freeCount[Slot(o, (MigrateType)t)] > 0)
                    {
                        mask |= 1 << o;
                    }
                }
            }
            return mask;
        }
    }

    public long HostBytes =>
        _state.Length + _pageblockType.Length + _freeLists.Sum(l => l?.HostBytes ?? 0) + _freeCount.Length * 8L;

    public MigrateType PageblockType(long pfn) => (MigrateType)_pageblockType[(pfn - _base) >> PageblockOrder];

    /// <summary>Pageblocks per migratetype over the present part of the zone.</summary>
    public long[] PageblocksByType()
    {
        var counts = new long[MigrateTypes.Count];
        var firstPresent = Spec.EndPfn - Spec.Present;
        if (Spec.Present == 0)
        {
            return counts;
        }
        var first = (firstPresent - _base) >> PageblockOrder;
        var last = (Spec.EndPfn - 1 - _base) >> PageblockOrder;
        for (var b = first; b <= last; b++)
        {
            counts[_pageblockType[b]]++;
        }
        return counts;
    }

    /// <summary>True when pfn is the head of an allocated block of this order.</summary>
    public bool IsAllocatedHead(long pfn, int order) =>
        Contains(pfn) && (State(pfn) & Reserved) == AllocFlag && (State(pfn) & OrderMask) == order;

    public bool Contains(long pfn) => pfn >= Spec.StartPfn && pfn < Spec.EndPfn;

    private int Slot(int order, MigrateType type) => order * MigrateTypes.Count + (int)type;

    private ref byte State(long pfn) => ref _state[pfn - Spec.StartPfn];

    private HierarchicalBitmap List(int order, MigrateType type)
    {
        var slot = Slot(order, type);
        return _freeLists[slot] ??= new HierarchicalBitmap(((Spec.EndPfn - _base) >> order) + 1);
    }

    private void AddToFreeList(long pfn, int order, MigrateType type)
    {
        State(pfn) = (byte)(FreeFlag | order | ((int)type << TypeShift));
        List(order, type).Set((pfn - _base) >> order);
        _freeCount[Slot(order, type)]++;
        FreePages += 1L << order;
    }

    private void DeleteFromFreeList(long pfn, int order, MigrateType type)
    {
        _freeLists[Slot(order, type)]!.Clear((pfn - _base) >> order);
        _freeCount[Slot(order, type)]--;
        FreePages -= 1L << order;
        State(pfn) = 0;
    }

    private MigrateType FreeListType(long pfn) => (MigrateType)((State(pfn) >> TypeShift) & 0x3);

    /// <summary>
    /// memmap_init + memblock_free_all: holes and reserved pages low in the span are never free;
    /// the managed pages at the top go to the free lists as the largest aligned blocks. Managed pages
    /// in use from the start (<see cref="ZoneSpec.InUse"/>: what a snapshotted machine already held)
    /// sit just above the reserved ones, as early boot allocations do, and are never freed.
    /// </summary>
    private void Boot()
    {
        var reservedEnd = Spec.PcpStartPfn;
        _state.AsSpan(0, checked((int)(reservedEnd - Spec.StartPfn))).Fill(Reserved);
        // Pages on CPUs' lists at start are allocated order-0 blocks as far as the zone knows: a drain gives them back.
        var pfn = reservedEnd;
        for (; pfn < reservedEnd + Spec.PcpPages.Sum(); pfn++)
        {
            State(pfn) = (byte)(AllocFlag | ((int)MigrateType.Unmovable << TypeShift));
        }
        while (pfn < Spec.EndPfn)
        {
            var order = MaxOrder;
            while (order > 0 && ((pfn & ((1L << order) - 1)) != 0 || pfn + (1L << order) > Spec.EndPfn))
            {
                order--;
            }
            AddToFreeList(pfn, order, PageblockType(pfn));
            pfn += 1L << order;
        }
    }

    /// <summary>
    /// __rmqueue: the smallest free block of the wanted migratetype, else a block stolen from a
    /// fallback type (which may boost the zone's watermarks, <paramref name="flags"/> saying whether the
    /// allocation may wake kswapd). Returns the PFN of the allocated block, or -1.
    /// </summary>
    public long Allocate(int order, MigrateType type, AllocFlags flags = 0)
    {
        var pfn = RemoveSmallest(order, type);
        if (pfn < 0 && type < MigrateType.HighAtomic && StealFallback(order, type, flags))
        {
            pfn = RemoveSmallest(order, type);
        }
        if (pfn >= 0)
        {
            State(pfn) = (byte)(AllocFlag | order | ((int)type << TypeShift));
        }
        return pfn;
    }

    /// <summary>
    /// split_page, as __split_huge_page leaves a huge folio's block: each of its 2^order pages becomes an allocated
    /// page of order 0, freed one by one from then on. False when pfn is not the head of an allocated block of that
    /// order, and nothing changes.
    /// </summary>
    public bool SplitPage(long pfn, int order)
    {
        if (!IsAllocatedHead(pfn, order))
        {
            return false;
        }
        var page = (byte)(State(pfn) & ~OrderMask);
        for (var i = 0L; i < 1L << order; i++)
        {
            State(pfn + i) = page;
        }
        return true;
    }

    /// <summary>rmqueue_bulk: up to count blocks of this order, appended to pfns. Returns how many.</summary>
    public int AllocateBulk(int order, MigrateType type, int count, List<long> pfns, AllocFlags flags = 0)
    {
        var got = 0;
        while (got < count)
        {
            var pfn = Allocate(order, type, flags);
            if (pfn < 0)
            {
                break;
            }
            pfns.Add(pfn);
            got++;
        }
        return got;
    }

    /// <summary>
    /// __free_one_page: merge with free buddies while they are free at the same order, then put the
    /// block on the free list of its pageblock's type. False when pfn is not the head of an
    /// allocated block of that order (an invalid or double free), and nothing changes.
    /// </summary>
    public bool Free(long pfn, int order)
    {
        if (!IsAllocatedHead(pfn, order))
        {
            return false;
        }
        State(pfn) = 0;
        var type = PageblockType(pfn);
        while (order < MaxOrder)
        {
            var buddy = pfn ^ (1L << order);
            if (!Contains(buddy) || (State(buddy) & Reserved) != FreeFlag || (State(buddy) & OrderMask) != order)
            {
                break;
            }
            var buddyListType = FreeListType(buddy);
            if (order >= PageblockOrder)
            {
                var buddyType = PageblockType(buddy);
                if (buddyType != type && (!IsMergeable(type) || !IsMergeable(buddyType)))
                {
                    break;
                }
                if (buddyType != type)
                {
                    // Match the buddy's pageblocks to ours so a later split lands on the right lists.
                    SetPageblockRange(buddy, order, type);
                }
            }
            DeleteFromFreeList(buddy, order, buddyListType);
            pfn = Math.Min(pfn, buddy);
            order++;
        }
        AddToFreeList(pfn, order, type);
        return true;
    }

    private static bool IsMergeable(MigrateType type) => type < MigrateType.HighAtomic;

    private long RemoveSmallest(int order, MigrateType type)
    {
        for (var current = order; current <= MaxOrder; current++)
        {
            if (_freeCount[Slot(current, type)] == 0)
            {
                continue;
            }
            var pfn = _base + (_freeLists[Slot(current, type)]!.FindFirst() << current);
            DeleteFromFreeList(pfn, current, type);
            Expand(pfn, order, current, type);
            return pfn;
        }
        return -1;
    }

    /// <summary>expand(): hand the upper halves back to the free lists until the block has the wanted order.</summary>
    private void Expand(long pfn, int low, int high, MigrateType type)
    {
        while (high > low)
        {
            high--;
            AddToFreeList(pfn + (1L << high), high, type);
        }
    }

    private void SetPageblockRange(long pfn, int order, MigrateType type)
    {
        var blocks = Math.Max(1L, 1L << (order - PageblockOrder));
        var first = (pfn - _base) >> PageblockOrder;
        for (var b = 0L; b < blocks; b++)
        {
            _pageblockType[first + b] = (byte)type;
        }
    }
}
