using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using Xunit;

namespace NumaSim.Model.Tests.SlabAllocator;

/// <summary>
/// kmem_cache_create layouts on 2 CPUs with 4 KiB pages (calculate_order: min_objects = 4 * (fls(2) + 1) = 12,
/// slub_max_order 3, waste at most 1/16 of the slab first). Each case derives size, order and objects by hand
/// from calculate_alignment and calculate_sizes (x86-64: sizeof(void *) 8, struct track 32).
/// </summary>
public sealed class KmemCacheLayoutTests
{
    private static KmemCache Create(int size, SlabFlags flags = SlabFlags.None, int align = 0, bool ctor = false, string? debug = null)
    {
        var result = KmemCache.Create("test", size, align, flags, ctor, 2, 1, 4096, SlubDebugOptions.Parse(debug));
        Assert.True(result.Succeeded, result.Message);
        return result.Cache!;
    }

    [Fact]
    public void Plain_100_byte_objects_are_word_aligned_39_to_an_order_0_slab()
    {
        // size = ALIGN(100, 8) = 104; free pointer at ALIGN_DOWN(100 / 2, 8) = 48 (inside the object);
        // min_order = get_order(12 * 104 = 1248) = 0; 4096 % 104 = 40 <= 4096 / 16, so order 0 with 4096 / 104 = 39
        // objects (the reference slabinfo's btrfs_free_space: 104 39 1).
        var s = Create(100);
        Assert.Equal((100, 104, 104, 48, 0, 0, 39), (s.ObjectSize, s.Size, s.Inuse, s.FreePointerOffset, s.RedLeftPad, s.Order, s.ObjectsPerSlab));
        Assert.Equal(8, s.Align);
        Assert.Equal(104, s.KsizeBytes);
    }

    [Theory]
    [InlineData(100, 64, 128, 32)] // 100 > 32: a full line; ALIGN(104, 64) = 128; 4096 / 128 = 32
    [InlineData(40, 64, 64, 64)]   // 40 > 32: 64
    [InlineData(20, 32, 32, 128)]  // 20 <= 32 but > 16: half a line; ALIGN(24, 32) = 32
    [InlineData(16, 16, 16, 256)]  // 16 <= 16: a quarter line; 16 > 8 stops there
    [InlineData(8, 8, 8, 512)]     // 8 <= 8: 8 (then the word size)
    public void Hwcache_align_halves_the_line_while_the_object_fits_in_half(int size, int align, int stride, int objects)
    {
        var s = Create(size, SlabFlags.HwcacheAlign);
        Assert.Equal((align, stride, 0, objects), (s.Align, s.Size, s.Order, s.ObjectsPerSlab));
    }

    [Fact]
    public void Hwcache_align_does_not_lower_a_larger_requested_alignment()
    {
        // max(128, 64) = 128: ALIGN(104, 128) = 128.
        var s = Create(100, SlabFlags.HwcacheAlign, align: 128);
        Assert.Equal((128, 128), (s.Align, s.Size));
    }

    [Fact]
    public void Red_zone_adds_a_word_after_the_object_a_padding_word_and_a_left_red_zone()
    {
        // 64 is word aligned, so the right red zone is one extra word: inuse = 72. The free pointer stays in the
        // middle (offset 32). Then "empty padding" 8 and red_left_pad = ALIGN(8, 8) = 8: size = 72 + 8 + 8 = 88.
        // 12 * 88 = 1056 -> order 0; 4096 % 88 = 48 <= 256; 4096 / 88 = 46.
        var s = Create(64, SlabFlags.RedZone);
        Assert.Equal((72, 32, 8, 88, 0, 46), (s.Inuse, s.FreePointerOffset, s.RedLeftPad, s.Size, s.Order, s.ObjectsPerSlab));
        Assert.Equal(64, s.KsizeBytes); // slab_ksize: object_size with red zones
    }

    [Fact]
    public void Poison_moves_the_free_pointer_after_the_object()
    {
        // inuse = 64; the free pointer goes to offset 64 and adds a word: 72. 4096 % 72 = 64 <= 256: 56 objects.
        var s = Create(64, SlabFlags.Poison);
        Assert.Equal((64, 64, 72, 56), (s.Inuse, s.FreePointerOffset, s.Size, s.ObjectsPerSlab));
        Assert.True(s.ObjectPoison);
        Assert.True(s.FreePointerOutsideObject);
    }

    [Fact]
    public void A_constructor_moves_the_free_pointer_out_and_turns_object_poisoning_off()
    {
        var s = Create(64, SlabFlags.Poison, ctor: true);
        Assert.Equal((64, 72), (s.FreePointerOffset, s.Size));
        Assert.False(s.ObjectPoison);
        var plain = Create(64, ctor: true);
        Assert.Equal(72, plain.Size);
    }

    [Fact]
    public void Full_slub_debug_on_a_64_byte_cache_gives_160_byte_slots()
    {
        // 64 -> red zone word -> inuse 72; poison: free pointer at 72 -> 80; store user: 2 * 32 -> 144;
        // red zone: padding 8 -> 152, red_left_pad 8 -> 160. 12 * 160 = 1920 -> order 0; 4096 % 160 = 96: 25 objects.
        var s = Create(64, debug: "FZPU");
        Assert.Equal(SlubDebugOptions.DefaultFlags, s.Flags);
        Assert.Equal((72, 72, 8, 160, 0, 25), (s.Inuse, s.FreePointerOffset, s.RedLeftPad, s.Size, s.Order, s.ObjectsPerSlab));
        Assert.True(s.IsDebug);
        Assert.False(s.HasCpuPartial);
        Assert.Equal(0, s.CpuPartialSlabs);
    }

    [Fact]
    public void A_debug_kmalloc_64_cache_keeps_its_64_byte_alignment_and_records_the_request_size()
    {
        // create_boot_cache: align = max(8, 64) = 64. 64 -> 72 (red zone) -> 80 (free pointer) -> 144 (tracks)
        // -> 148 (orig_size) -> 156 (padding word) -> red_left_pad = ALIGN(8, 64) = 64 -> 220 -> ALIGN(220, 64) = 256.
        var s = KmemCache.CreateKmalloc("kmalloc-64", 64, SlabFlags.None, 2, 1, 4096, SlubDebugOptions.Parse("FZPU"));
        Assert.Equal((64, 64, 256, 16, 0), (s.Align, s.RedLeftPad, s.Size, s.ObjectsPerSlab, s.Order));
        Assert.True(s.TracksOrigSize);
    }

    [Theory]
    [InlineData(8, 8, 512, 0)]
    [InlineData(96, 96, 42, 0)]
    [InlineData(192, 192, 21, 0)]
    [InlineData(1024, 1024, 16, 2)] // 12 * 1024 -> get_order(12288) = 2; 16384 % 1024 = 0
    [InlineData(8192, 8192, 4, 3)]  // max_objects = 32768 / 8192 = 4 -> min_objects 4 -> order 3
    public void Kmalloc_caches_without_debug_match_the_reference_slabinfo(int size, int stride, int objects, int order)
    {
        var s = KmemCache.CreateKmalloc("kmalloc", size, SlabFlags.None, 2, 1, 4096);
        Assert.Equal((stride, objects, order), (s.Size, s.ObjectsPerSlab, s.Order));
        Assert.Equal(size, s.KsizeBytes);
    }

    [Fact]
    public void Min_partial_and_cpu_partial_follow_kmem_cache_open()
    {
        // min_partial = clamp(ilog2(64) / 2 = 3, 5, 10) = 5; size < 256: 120 objects -> ceil(240 / 64) = 4 slabs.
        var small = KmemCache.CreateKmalloc("kmalloc-64", 64, SlabFlags.None, 2, 1, 4096);
        Assert.Equal((5, 120, 4), (small.MinPartialSlabs, small.CpuPartialObjects, small.CpuPartialSlabs));
        // 8192: ilog2 = 13 -> 6; size >= PAGE_SIZE: 6 objects -> ceil(12 / 4) = 3 slabs.
        var large = KmemCache.CreateKmalloc("kmalloc-8k", 8192, SlabFlags.None, 2, 1, 4096);
        Assert.Equal((6, 6, 3), (large.MinPartialSlabs, large.CpuPartialObjects, large.CpuPartialSlabs));
    }

    [Fact]
    public void Cache_flags_pick_the_slab_page_gfp()
    {
        Assert.Equal(Gfp.Comp | Gfp.Dma, Create(64, SlabFlags.CacheDma).AllocFlags);
        Assert.Equal(Gfp.Comp | Gfp.Reclaimable, Create(64, SlabFlags.Reclaimable).AllocFlags);
        Assert.True(Create(64, SlabFlags.Reclaimable).Reclaimable);
    }

    [Fact]
    public void No_reap_is_ignored_and_must_hwcache_align_is_hwcache_align()
    {
        var reap = Create(100, SlabFlags.NoReap);
        Assert.Equal((104, SlabFlags.None), (reap.Size, reap.Flags));
        var must = Create(100, SlabFlags.MustHwcacheAlign);
        Assert.Equal((128, SlabFlags.HwcacheAlign), (must.Size, must.Flags));
    }

    [Theory]
    [InlineData(0, SlabFlags.None)]
    [InlineData(4 * 1024 * 1024 + 1, SlabFlags.None)]
    [InlineData(8 * 1024 * 1024, SlabFlags.None)]
    [InlineData(4 * 1024 * 1024, SlabFlags.RedZone)] // metadata pushes the slot past an order-10 block
    public void Sizes_the_kernel_cannot_lay_out_fail_with_einval(int size, SlabFlags flags)
    {
        var result = KmemCache.Create("big", size, 0, flags, false, 2, 1, 4096);
        Assert.False(result.Succeeded);
        Assert.Equal(-22, result.Error);
        Assert.False(result.Panics);
        Assert.Equal("__kmem_cache_create_args(big) failed with error -22", result.Message);
    }

    [Fact]
    public void Four_mib_is_the_largest_object_an_order_10_slab_holds()
    {
        var s = Create(4 * 1024 * 1024);
        Assert.Equal((10, 1), (s.Order, s.ObjectsPerSlab));
    }

    [Fact]
    public void A_failed_slab_panic_cache_carries_the_panic_text()
    {
        var result = KmemCache.Create("foo_cache", 0, 0, SlabFlags.Panic | SlabFlags.HwcacheAlign, false, 2, 1, 4096);
        Assert.True(result.Panics);
        Assert.Equal("__kmem_cache_create_args: Failed to create slab 'foo_cache'. Error -22", result.Message);
    }

    [Fact]
    public void Debug_flags_that_raise_the_minimum_order_are_dropped_with_O()
    {
        // 4096 with FZPU: 4104 -> 4112 -> 4176 -> 4192: get_order 1 > get_order(4096) = 0, so 'O' keeps only F.
        var s = Create(4096, debug: "FZPUO");
        Assert.Equal((SlabFlags.ConsistencyChecks, 4096), (s.Flags, s.Size));
        var without = Create(4096, debug: "FZPU");
        Assert.Equal(4192, without.Size);
    }
}
