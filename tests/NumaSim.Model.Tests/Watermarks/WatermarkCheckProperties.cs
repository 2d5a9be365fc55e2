using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.PageAlloc;
using Xunit;

namespace NumaSim.Model.Tests.Watermarks;

public sealed record WatermarkCase(ZoneFreeView Zone, int Order, long Mark, long[] LowmemReserve, int HighestZoneIdx, AllocFlags Flags)
{
    public override string ToString() =>
        $"{Zone} order={Order} mark={Mark} reserve=[{string.Join(',', LowmemReserve)}] highest={HighestZoneIdx} flags={Flags}";
}

/// <summary>WatermarkCheck.Ok against a line-by-line transcription of the kernel's __zone_watermark_ok.</summary>
public sealed class WatermarkCheckProperties
{
    private const int NrPageOrders = 11;

    private static readonly AllocFlags[] FlagBits =
    [
        AllocFlags.WmarkLow, AllocFlags.WmarkHigh, AllocFlags.Oom, AllocFlags.NonBlock, AllocFlags.MinReserve,
        AllocFlags.Cpuset, AllocFlags.HighAtomic, AllocFlags.Kswapd,
    ];

    /// <summary>
    /// mm/page_alloc.c (6.3 and later, CMA left out as the model has none):
    /// <code>
    /// static inline long __zone_watermark_unusable_free(struct zone *z, unsigned int order, unsigned int alloc_flags)
    /// {
    ///     long unusable_free = (1 &lt;&lt; order) - 1;
    ///     if (likely(!(alloc_flags &amp; ALLOC_RESERVES)))
    ///         unusable_free += READ_ONCE(z-&gt;nr_free_highatomic);   // nr_reserved_highatomic before 6.12
    ///     return unusable_free;
    /// }
    /// bool __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags, long free_pages)
    /// {
    ///     long min = mark;
    ///     free_pages -= __zone_watermark_unusable_free(z, order, alloc_flags);
    ///     if (unlikely(alloc_flags &amp; ALLOC_RESERVES)) {
    ///         if (alloc_flags &amp; ALLOC_MIN_RESERVE) {
    ///             min -= min / 2;
    ///             if (alloc_flags &amp; ALLOC_NON_BLOCK)
    ///                 min -= min / 4;
    ///         }
    ///         if (alloc_flags &amp; ALLOC_OOM)
    ///             min -= min / 2;
    ///     }
    ///     if (free_pages &lt;= min + z-&gt;lowmem_reserve[highest_zoneidx])
    ///         return false;
    ///     if (!order)
    ///         return true;
    ///     for (o = order; o &lt; NR_PAGE_ORDERS; o++) {
    ///         struct free_area *area = &amp;z-&gt;free_area[o];
    ///         if (!area-&gt;nr_free) continue;
    ///         for (mt = 0; mt &lt; MIGRATE_PCPTYPES; mt++)
    ///             if (!free_area_empty(area, mt)) return true;
    ///         if ((alloc_flags &amp; (ALLOC_HIGHATOMIC|ALLOC_OOM)) &amp;&amp; !free_area_empty(area, MIGRATE_HIGHATOMIC))
    ///             return true;
    ///     }
    ///     return false;
    /// }
    /// </code>
    /// </summary>
    internal static bool KernelZoneWatermarkOk(ZoneFreeView z, int order, long mark, IReadOnlyList<long> lowmemReserve, int highestZoneIdx, AllocFlags allocFlags)
    {
        long min = mark;
        var freePages = z.FreePages;
        long unusableFree = (1L << order) - 1;
        if ((allocFlags & AllocFlags.Reserves) == 0)
        {
            unusableFree += z.ReservedHighAtomic;
        }
        freePages -= unusableFree;
        if ((allocFlags & AllocFlags.Reserves) != 0)
        {
            if ((allocFlags & AllocFlags.MinReserve) != 0)
            {
                min -= min / 2;
                if ((allocFlags & AllocFlags.NonBlock) != 0)
                {
                    min -= min / 4;
                }
            }
            if ((allocFlags & AllocFlags.Oom) != 0)
            {
                min -= min / 2;
            }
        }
        if (freePages <= min + lowmemReserve[highestZoneIdx])
        {
            return false;
        }
        if (order == 0)
        {
            return true;
        }
        for (var o = order; o < NrPageOrders; o++)
        {
            // A free block on an Unmovable/Movable/Reclaimable list (nr_free > 0 follows from it).
            if ((z.OrdersWithFreeBlocks & (1 << o)) != 0)
            {
                return true;
            }
            if ((allocFlags & (AllocFlags.HighAtomic | AllocFlags.Oom)) != 0 && (z.OrdersWithHighAtomic & (1 << o)) != 0)
            {
                return true;
            }
        }
        return false;
    }

    private static Gen<WatermarkCase> Cases(bool orderZeroOnly, bool noHighAtomicReserve) =>
        from mark in Gen.Frequency((3, Gen.Choose(0, 2000)), (1, Gen.Choose(0, 200000)))
        // Free pages near the mark, where the details decide, or anywhere.
        from free in Gen.Frequency(
            (3, Gen.Choose(-1100, 1100).Select(d => Math.Max(0L, mark + d))),
            (1, Gen.Choose(0, 250000).Select(f => (long)f)))
        from order in orderZeroOnly ? Gen.Constant(0) : Gen.Frequency((2, Gen.Constant(0)), (5, Gen.Choose(1, 10)))
        from freeMask in Gen.Frequency((1, Gen.Constant(0)), (3, Gen.Choose(0, (1 << NrPageOrders) - 1)))
        from atomicMask in Gen.Frequency((2, Gen.Constant(0)), (1, Gen.Choose(0, (1 << NrPageOrders) - 1)))
        from reservedAtomic in noHighAtomicReserve ? Gen.Constant(0) : Gen.Frequency((1, Gen.Constant(0)), (2, Gen.Choose(0, 4096)))
        from reserve in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Choose(0, 5000))).ArrayOf(5)
        from highest in Gen.Choose(0, 4)
        from flagBits in Gen.SubListOf(FlagBits)
        select new WatermarkCase(
            new ZoneFreeView(free, freeMask, atomicMask, reservedAtomic),
            order,
            mark,
            reserve.Select(r => (long)r).ToArray(),
            highest,
            flagBits.Aggregate(AllocFlags.WmarkMin, (acc, f) => acc | f));

    private static bool Agree(WatermarkCase c) =>
        WatermarkCheck.Ok(c.Zone, c.Order, c.Mark, c.LowmemReserve, c.HighestZoneIdx, c.Flags)
        == KernelZoneWatermarkOk(c.Zone, c.Order, c.Mark, c.LowmemReserve, c.HighestZoneIdx, c.Flags);

    [Property(MaxTest = 2000)]
    public Property Order_0_check_without_a_highatomic_reserve_matches_the_kernel() =>
        Prop.ForAll(Cases(orderZeroOnly: true, noHighAtomicReserve: true).ToArbitrary(), Agree);

    [Property(MaxTest = 2000)]
    public Property Watermark_check_matches_the_kernel_for_any_order_flags_and_reserve() =>
        Prop.ForAll(Cases(orderZeroOnly: false, noHighAtomicReserve: false).ToArbitrary(), Agree);

    [Fact]
    public void A_higher_order_request_counts_only_free_pages_beyond_its_own_block_minus_one()
    {
        // order 3: unusable = 7, so 1000 + 7 free pages leave exactly the mark: not above it.
        var view = new ZoneFreeView(1007, 1 << 3, 0, 0);
        Assert.False(KernelZoneWatermarkOk(view, 3, 1000, [0, 0, 0, 0, 0], 2, AllocFlags.WmarkLow));
        Assert.False(WatermarkCheck.Ok(view, 3, 1000, [0, 0, 0, 0, 0], 2, AllocFlags.WmarkLow));
    }

    [Fact]
    public void A_gfp_high_request_may_count_the_highatomic_reserve_as_free()
    {
        // __GFP_HIGH with direct reclaim: ALLOC_MIN_RESERVE only. min 1000 -> 500; 600 free of which 512 highatomic.
        var view = new ZoneFreeView(600, 1, 0, 512);
        Assert.True(KernelZoneWatermarkOk(view, 0, 1000, [0, 0, 0, 0, 0], 2, AllocFlags.MinReserve));
        Assert.True(WatermarkCheck.Ok(view, 0, 1000, [0, 0, 0, 0, 0], 2, AllocFlags.MinReserve));
    }

    [Theory]
    [InlineData(AllocFlags.WmarkMin, 1000)]
    [InlineData(AllocFlags.MinReserve, 500)]
    [InlineData(AllocFlags.MinReserve | AllocFlags.NonBlock, 375)]
    [InlineData(AllocFlags.NonBlock, 1000)]
    [InlineData(AllocFlags.Oom, 500)]
    public void Reserves_lower_the_min_watermark_as_the_kernel_does(AllocFlags flags, long effectiveMin)
    {
        long[] reserve = [0, 0, 100, 0, 0];
        Assert.False(WatermarkCheck.Ok(new ZoneFreeView(effectiveMin + 100, 0, 0, 0), 0, 1000, reserve, 2, flags));
        Assert.True(WatermarkCheck.Ok(new ZoneFreeView(effectiveMin + 101, 0, 0, 0), 0, 1000, reserve, 2, flags));
    }

    [Fact]
    public void A_higher_order_request_needs_a_free_block_of_that_order_or_above()
    {
        long[] reserve = [0, 0, 0, 0, 0];
        Assert.False(WatermarkCheck.Ok(new ZoneFreeView(5000, 0b0000_0111, 0, 0), 3, 100, reserve, 2, AllocFlags.WmarkLow));
        Assert.True(WatermarkCheck.Ok(new ZoneFreeView(5000, 0b1000_0000, 0, 0), 3, 100, reserve, 2, AllocFlags.WmarkLow));
        // Highatomic blocks only count for HighAtomic or OOM requests.
        Assert.False(WatermarkCheck.Ok(new ZoneFreeView(5000, 0, 1 << 4, 0), 3, 100, reserve, 2, AllocFlags.WmarkLow));
        Assert.True(WatermarkCheck.Ok(new ZoneFreeView(5000, 0, 1 << 4, 0), 3, 100, reserve, 2, AllocFlags.HighAtomic));
    }
}
