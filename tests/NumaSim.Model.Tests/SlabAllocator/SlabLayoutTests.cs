using NumaSim.Model.Slab;
using Xunit;

namespace NumaSim.Model.Tests.SlabAllocator;

/// <summary>
/// SLAB's __kmem_cache_create on 2 CPUs with 4 KiB pages and slab_max_order 1 (a machine above 32 MiB), each number
/// derived by hand from mm/slab.c 6.4: freelist_idx_t is one byte (4096 &gt;&gt; 8 &lt;= SLAB_OBJ_MIN_SIZE 16), so a slab
/// holds at most 255 objects and an on-slab freelist costs one byte per object; the placement is tried as
/// objfreelist (no ctor, num &lt;= object_size), off-slab (freelist from a kmalloc cache no bigger than half the
/// object, and the leftover cannot hold it), on-slab; calculate_slab_order stops at the first order whose leftover
/// is at most 1/8 of the slab, or at slab_max_order; enable_cpucache picks limit 120/54/24/8/1 by size,
/// batchcount (limit + 1) / 2, shared 8 up to PAGE_SIZE on SMP.
/// </summary>
public sealed class SlabLayoutTests
{
    private static readonly SlabAllocatorOptions Slab = SlabAllocatorOptions.For(SlabAllocatorKind.Slab);

    private static KmemCache Create(int size, SlabFlags flags = SlabFlags.None, bool ctor = false, SlabAllocatorOptions? options = null, int cpus = 2)
    {
        var result = SlabAllocatorFactory.CreateCache(options ?? Slab, "test", size, 0, flags, ctor, cpus, 1, 4096);
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(SlabAllocatorKind.Slab, result.Cache!.Allocator);
        return result.Cache;
    }

    [Theory]
    // kmalloc-32: objfreelist would need 128 index bytes in a 32-byte object; off-slab's 128-byte freelist
    // (kmalloc-128) is more than half of 32, and order 1 holds 256 > 255; on-slab: 4096 / 33 = 124, 4 left.
    [InlineData("kmalloc-32", 32, 124, 1, 120, 60, 8)]
    [InlineData("kmalloc-64", 64, 64, 1, 120, 60, 8)]
    // SLAB_HWCACHE_ALIGN (ARCH_KMALLOC_FLAGS): 96 > 32, so a 64-byte line: ALIGN(96, 64) = 128.
    [InlineData("kmalloc-96", 128, 32, 1, 120, 60, 8)]
    [InlineData("kmalloc-128", 128, 32, 1, 120, 60, 8)]
    [InlineData("kmalloc-192", 192, 21, 1, 120, 60, 8)]
    [InlineData("kmalloc-256", 256, 16, 1, 120, 60, 8)]
    [InlineData("kmalloc-512", 512, 8, 1, 54, 27, 8)]
    [InlineData("kmalloc-1k", 1024, 4, 1, 54, 27, 8)]
    [InlineData("kmalloc-2k", 2048, 2, 1, 24, 12, 8)]
    [InlineData("kmalloc-4k", 4096, 1, 1, 24, 12, 8)]
    // Order 0 holds none; order 1 holds one and is slab_max_order. Above PAGE_SIZE: limit 8 and no shared array.
    [InlineData("kmalloc-8k", 8192, 1, 2, 8, 4, 0)]
    public void Kmalloc_caches_have_the_slab_layout_and_tunables(string name, int objSize, int objPerSlab, int pagesPerSlab, int limit, int batch, int shared)
    {
        var row = Assert.Single(KmallocCaches.Empty(4096, 2, Slab), r => r.Name == name);
        Assert.Equal(
            (objSize, objPerSlab, pagesPerSlab, limit, batch, shared),
            (row.ObjectSize, row.ObjectsPerSlab, row.PagesPerSlab, row.Limit, row.BatchCount, row.SharedFactor));
    }

    [Fact]
    public void Slab_has_no_kmalloc_8_or_16_and_the_other_variants_share_the_layout()
    {
        var rows = KmallocCaches.Empty(4096, 2, Slab);
        Assert.DoesNotContain(rows, r => r.Name.EndsWith("-8", StringComparison.Ordinal) || r.Name.EndsWith("-16", StringComparison.Ordinal));
        Assert.Equal(4 * 11, rows.Count);
        var rcl = rows.Single(r => r.Name == "kmalloc-rcl-8k");
        Assert.True(rcl.Reclaimable);
        Assert.Equal((8192, 1, 2), (rcl.ObjectSize, rcl.ObjectsPerSlab, rcl.PagesPerSlab));
    }

    [Fact]
    public void A_100_byte_cache_keeps_its_freelist_in_an_object()
    {
        // ALIGN(100, 8) = 104; 4096 / 104 = 39 with 40 left (40 * 8 <= 4096: done at order 0); 39 index bytes fit a
        // 100-byte object. colour = 40 / 64 = 0.
        var s = Create(100);
        Assert.Equal((104, 39, 0, SlabManagement.ObjFreelist, 0, 64), (s.Size, s.ObjectsPerSlab, s.Order, s.Management, s.Colour, s.ColourOff));
        Assert.Equal(new SlabTunables(120, 60, 8), s.Tunables);
        Assert.Equal(100, s.KsizeBytes);
    }

    [Fact]
    public void A_256_byte_cache_with_a_ctor_goes_off_slab()
    {
        // No objfreelist with a ctor. Off-slab: 16 objects need a 16-byte freelist from kmalloc-32 (on-slab itself,
        // 32 <= 256 / 2); nothing is left over (0 < 16), so off-slab it is.
        var s = Create(256, ctor: true);
        Assert.Equal((256, 16, 0, SlabManagement.OffSlab, 16), (s.Size, s.ObjectsPerSlab, s.Order, s.Management, s.FreelistSize));
    }

    [Fact]
    public void A_40_byte_cache_with_a_ctor_goes_on_slab()
    {
        // Off-slab: 102 objects want kmalloc-128, 204 want kmalloc-256, both above 40 / 2; 409 > 255 stops the search.
        // On-slab: 4096 / 41 = 99 with 37 left.
        var s = Create(40, ctor: true);
        Assert.Equal((40, 99, 0, SlabManagement.OnSlab, 99), (s.Size, s.ObjectsPerSlab, s.Order, s.Management, s.FreelistSize));
    }

    [Fact]
    public void Tiny_objects_grow_to_sixteen_bytes_and_go_on_slab()
    {
        // ALIGN(10, 8) = 16; 4096 / 16 = 256 > 255 rules out objfreelist and off-slab; 4096 / 17 = 240.
        var s = Create(10);
        Assert.Equal((16, 240, SlabManagement.OnSlab), (s.Size, s.ObjectsPerSlab, s.Management));
    }

    [Theory]
    // 3000: order 0 holds 1 with 1096 left (> 512), order 1 holds 2 with 2192 left and is slab_max_order; 2192 / 64 = 34
    // colours. Limit 24 (> 1024).
    [InlineData(SlabFlags.None, 1, 1, 2, 34)]
    // SLAB_RECLAIM_ACCOUNT takes the first order that holds an object: 1096 / 64 = 17 colours.
    [InlineData(SlabFlags.Reclaimable, 1, 0, 1, 17)]
    // slab_max_order 0 (up to 32 MiB of memory) stops at order 0 too.
    [InlineData(SlabFlags.None, 0, 0, 1, 17)]
    public void Calculate_slab_order_stops_at_low_waste_slab_max_order_or_for_reclaimable_caches(SlabFlags flags, int maxOrder, int order, int objects, int colour)
    {
        var s = Create(3000, flags, options: Slab with { SlabMaxOrder = maxOrder });
        Assert.Equal((order, objects, colour, SlabManagement.ObjFreelist), (s.Order, s.ObjectsPerSlab, s.Colour, s.Management));
        Assert.Equal(new SlabTunables(24, 12, 8), s.Tunables);
    }

    [Theory]
    [InlineData(256, 2, 120, 60, 8)]
    [InlineData(257, 2, 54, 27, 8)]
    [InlineData(1025, 2, 24, 12, 8)]
    [InlineData(4097, 2, 8, 4, 0)]
    [InlineData(131073, 2, 1, 1, 0)]
    [InlineData(64, 1, 120, 60, 0)] // one CPU: no shared array
    public void Enable_cpucache_picks_the_limits_by_size_and_shares_only_on_smp(int size, int cpus, int limit, int batch, int shared)
    {
        var s = Create(size, cpus: cpus);
        Assert.Equal(new SlabTunables(limit, batch, shared), s.Tunables);
    }

    [Fact]
    public void Without_debug_slab_red_zone_and_poison_are_dropped()
    {
        var s = Create(64, SlabFlags.RedZone | SlabFlags.Poison | SlabFlags.StoreUser | SlabFlags.ConsistencyChecks);
        Assert.Equal(SlabFlags.None, s.Flags);
        Assert.Equal((64, 0), (s.Size, s.RedLeftPad));
    }

    [Fact]
    public void Debug_slab_adds_red_zones_and_a_user_word_and_caps_the_limit()
    {
        // FORCED_DEBUG: 64 + 2 red zone words + the last-user word = 88; obj_offset 8; 4096 / 88 = 46 (48 left);
        // limit 120 capped at 32.
        var s = Create(64, options: Slab with { DebugSlab = true });
        Assert.Equal(SlabFlags.RedZone | SlabFlags.Poison | SlabFlags.StoreUser, s.Flags);
        Assert.Equal((88, 8, 46, SlabManagement.ObjFreelist), (s.Size, s.RedLeftPad, s.ObjectsPerSlab, s.Management));
        Assert.Equal(new SlabTunables(32, 16, 8), s.Tunables);
    }

    [Fact]
    public void Debug_slab_kmalloc_caches_are_poisoned_but_not_red_zoned()
    {
        // kmalloc caches align to at least 32 bytes: "disable debug if necessary" drops red zones above 8.
        var row = KmallocCaches.Empty(4096, 2, Slab with { DebugSlab = true }).Single(r => r.Name == "kmalloc-64");
        Assert.Equal((64, 64, 32, 16), (row.ObjectSize, row.ObjectsPerSlab, row.Limit, row.BatchCount));
    }

    [Fact]
    public void Sizes_above_kmalloc_max_size_fail_with_einval()
    {
        var result = SlabAllocatorFactory.CreateCache(Slab, "huge", 4 * 1024 * 1024 + 1, 0, SlabFlags.None, false, 2, 1, 4096);
        Assert.False(result.Succeeded);
        Assert.Equal(KmemCacheCreateResult.Einval, result.Error);
    }
}
