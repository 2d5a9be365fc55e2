namespace NumaSim.Model.PageAlloc;

/// <summary>
/// One CPU's per_cpu_pages on one zone: lists per (order, migratetype) for orders up to
/// PAGE_ALLOC_COSTLY_ORDER plus the THP order, hot pages at the head, cold ones drained from the
/// tail. Pages on these lists are allocated as far as the buddy allocator knows. Since 6.7 the
/// list's high mark tunes itself between high_min and high_max, and a run of allocations without
/// frees doubles the refill each time (alloc_factor), so a CPU that allocates a lot holds up to
/// thousands of pages the zone's watermark checks no longer count as free.
/// </summary>
public sealed class PerCpuPages
{
    public const int CostlyOrder = 3;

    /// <summary>CONFIG_PCP_BATCH_SCALE_MAX (vm.pcp_batch_scale_max): refills and frees grow to batch &lt;&lt; 5.</summary>
    public const int BatchScaleMax = 5;

    private const int LowOrderLists = MigrateTypes.PcpTypes * (CostlyOrder + 1);

    private readonly PcpList[] _lists = new PcpList[LowOrderLists + 2];
    private readonly int _thpOrder;
    private int _freeCount;
    private int _allocFactor;
    private bool _prevFreeHighOrder;

    public PerCpuPages(int batch, int highMin, int highMax, int thpOrder)
    {
        Batch = batch;
        HighMin = highMin;
        HighMax = highMax;
        _thpOrder = thpOrder;
        for (var i = 0; i < _lists.Length; i++)
        {
            _lists[i] = new PcpList();
        }
    }

    public int Count { get; private set; }

    /// <summary>
    /// pcp->high: where frees start draining, tuned between <see cref="HighMin"/> and <see cref="HighMax"/>. It is 0
    /// (BOOT_PAGESET_HIGH) until the list is first used, as zoneinfo shows for a CPU that never touched the zone.
    /// </summary>
    public int High { get; private set; }
    public int Batch { get; }
    public int HighMin { get; }
    public int HighMax { get; }

    /// <summary>pcp_allowed_order: orders the per-CPU lists hold.</summary>
    public bool Allows(int order) => order <= CostlyOrder || order == _thpOrder;

    /// <summary>
    /// nr_pcp_alloc: blocks to take from the buddy lists when the list is empty. Unless the zone is below
    /// its high watermark (ZONE_BELOW_HIGH), a refill first raises high by the batch it is about to take;
    /// order-0 refills double while allocations come without frees in between.
    /// </summary>
    public int RefillCount(int order, bool zoneBelowHigh = false)
    {
        var high = High = Math.Clamp(High, HighMin, HighMax);
        if (high < Batch)
        {
            return 1;
        }
        var batch = order == 0 ? Batch << _allocFactor : Batch;
        if (HighMin != HighMax && !zoneBelowHigh)
        {
            high = High = Math.Min(high + batch, HighMax);
        }
        if (order == 0)
        {
            var maxNrAlloc = Math.Max(high - Count - Batch, Batch);
            if (batch <= maxNrAlloc && _allocFactor < BatchScaleMax)
            {
                _allocFactor++;
            }
            batch = Math.Min(batch, maxNrAlloc);
        }
        return batch > 1 ? Math.Max(batch >> order, 2) : batch;
    }

    public bool TryTake(int order, MigrateType type, out long pfn)
    {
        var list = _lists[Index(order, type)];
        if (list.Count == 0)
        {
            pfn = -1;
            return false;
        }
        pfn = list.PopHead();
        Count -= 1 << order;
        _freeCount >>= 1;
        return true;
    }

    /// <summary>Pages from a refill, in the order the buddy allocator returned them (first = hottest).</summary>
    public void AddRefill(int order, MigrateType type, IReadOnlyList<long> pfns)
    {
        var list = _lists[Index(order, type)];
        for (var i = pfns.Count - 1; i >= 0; i--)
        {
            list.PushHead(pfns[i]);
        }
        Count += pfns.Count << order;
    }

    /// <summary>
    /// free_unref_page_commit: the page goes to the head of its list; at or above high (as nr_pcp_high
    /// tunes it), the lists drain (free_pcppages_bulk) starting with this list, round robin, coldest
    /// first. The drained blocks are appended to <paramref name="drained"/> as (pfn, order). A zone below
    /// its high watermark (ZONE_BELOW_HIGH) makes frees lower high again, so pages go back to the zone; so does
    /// kswapd working on it (ZONE_RECLAIM_ACTIVE), down to four batches.
    /// </summary>
    public void Free(long pfn, int order, MigrateType type, List<(long Pfn, int Order)> drained, bool zoneBelowHigh = false, bool reclaimActive = false)
    {
        _allocFactor >>= 1;
        var index = Index(order, type);
        _lists[index].PushHead(pfn);
        Count += 1 << order;
        var freeHigh = false;
        if (order > 0 && order <= CostlyOrder)
        {
            // Consecutive high-order frees: drain them rather than let them fragment the zone
            // (PCPF_FREE_HIGH_BATCH, set only where the CPU's cache slice is large, is taken as clear).
            freeHigh = _freeCount >= Batch && _prevFreeHighOrder;
            _prevFreeHighOrder = true;
        }
        else
        {
            _prevFreeHighOrder = false;
        }
        if (_freeCount < Batch << BatchScaleMax)
        {
            _freeCount += 1 << order;
        }
        var high = NrPcpHigh(freeHigh, zoneBelowHigh, reclaimActive);
        if (Count >= high)
        {
            DrainBulk(NrPcpFree(high, freeHigh), index, drained);
        }
    }

    /// <summary>
    /// Pages a snapshotted machine's CPU already held: a list in use, so its high is where the tuning starts.
    /// </summary>
    public void Seed(IReadOnlyList<long> pfns)
    {
        if (pfns.Count == 0)
        {
            return;
        }
        AddRefill(0, MigrateType.Unmovable, pfns);
        High = HighMin;
    }

    /// <summary>
    /// decay_pcp_high, from vmstat's once-a-second refresh_cpu_vm_stats: high falls by an eighth (never below
    /// high_min, nor more than batch &lt;&lt; 5 under the count), and what the list holds above it goes back to the
    /// zone, coldest first. Returns whether another round has work (the vmstat worker keeps running while it does).
    /// </summary>
    public bool Decay(List<(long Pfn, int Order)> drained)
    {
        var todo = false;
        if (High > HighMin)
        {
            High = Math.Max(Math.Max(Count - (Batch << BatchScaleMax), High - (High >> 3)), HighMin);
            todo = High > HighMin;
        }
        var toDrain = Count - High;
        if (toDrain > 0)
        {
            DrainBulk(toDrain, 0, drained);
            todo = true;
        }
        return todo;
    }

    /// <summary>Everything back to the buddy allocator (drain_pages_zone).</summary>
    public void DrainAll(List<(long Pfn, int Order)> drained) => DrainBulk(Count, 0, drained);

    private int NrPcpHigh(bool freeHigh, bool zoneBelowHigh, bool reclaimActive)
    {
        var high = High = Math.Clamp(High, HighMin, HighMax);
        if (high == 0)
        {
            return 0;
        }
        if (freeHigh)
        {
            High = Math.Max(high - (Batch << BatchScaleMax), HighMin);
            return 0;
        }
        if (reclaimActive)
        {
            // ZONE_RECLAIM_ACTIVE: while kswapd works on the zone, what it frees goes back to the buddy lists at once.
            High = Math.Max(high - Math.Max(_freeCount, Batch), HighMin);
            return Math.Min(Batch << 2, High);
        }
        if (HighMin == HighMax)
        {
            return high;
        }
        if (zoneBelowHigh)
        {
            High = Math.Max(high - Math.Max(_freeCount, Batch), HighMin);
            return Math.Max(Count, HighMin);
        }
        if (Count >= high)
        {
            var needHigh = _freeCount + Batch;
            if (High < needHigh)
            {
                High = Math.Clamp(needHigh, HighMin, HighMax);
            }
        }
        return high;
    }

    /// <summary>nr_pcp_free: how much a drain gives back (clamp_t: the upper bound wins when the bounds cross).</summary>
    private int NrPcpFree(int high, bool freeHigh)
    {
        if (freeHigh)
        {
            return Math.Min(Count, Batch << BatchScaleMax);
        }
        if (high < Batch)
        {
            return 1;
        }
        return Math.Min(Math.Max(_freeCount, Batch), high - Batch);
    }

    private void DrainBulk(int count, int firstIndex, List<(long Pfn, int Order)> drained)
    {
        var index = firstIndex - 1;
        while (count > 0 && Count > 0)
        {
            do
            {
                index = index + 1 == _lists.Length ? 0 : index + 1;
            }
            while (_lists[index].Count == 0);
            var order = OrderOf(index);
            var list = _lists[index];
            do
            {
                drained.Add((list.PopTail(), order));
                count -= 1 << order;
                Count -= 1 << order;
            }
            while (count > 0 && list.Count > 0);
        }
    }

    private int Index(int order, MigrateType type)
    {
        if (type >= MigrateType.HighAtomic)
        {
            // Only the three pcp types have lists; the kernel files anything else as movable.
            type = MigrateType.Movable;
        }
        if (order <= CostlyOrder)
        {
            return MigrateTypes.PcpTypes * order + (int)type;
        }
        return LowOrderLists + (type == MigrateType.Movable ? 1 : 0);
    }

    private int OrderOf(int index) => index < LowOrderLists ? index / MigrateTypes.PcpTypes : _thpOrder;

    /// <summary>A deque of PFNs: head for hot pages, tail for the coldest.</summary>
    private sealed class PcpList
    {
        private long[] _items = new long[8];
        private int _head;

        public int Count { get; private set; }

        public void PushHead(long pfn)
        {
            if (Count == _items.Length)
            {
                Grow();
            }
            _head = (_head - 1 + _items.Length) % _items.Length;
            _items[_head] = pfn;
            Count++;
        }

        public long PopHead()
        {
            var pfn = _items[_head];
            _head = (_head + 1) % _items.Length;
            Count--;
            return pfn;
        }

        public long PopTail()
        {
            Count--;
            return _items[(_head + Count) % _items.Length];
        }

        private void Grow()
        {
            var bigger = new long[_items.Length * 2];
            for (var i = 0; i < Count; i++)
            {
                bigger[i] = _items[(_head + i) % _items.Length];
            }
            _items = bigger;
            _head = 0;
        }
    }
}
