using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using Xunit;

namespace NumaSim.Model.Tests.SlabAllocator;

/// <summary>kmalloc through SLUB, SLAB and SLOB: the same calls, the size classes each allocator really has.</summary>
public sealed class KmallocVariantTests
{
    private static KmallocFamily Create(SlabAllocatorKind kind, int nodes = 1, int[]? cpuToNode = null) =>
        new(new FakePageSource(nodes), cpuToNode ?? [0, 0], nodes, allocator: SlabAllocatorOptions.For(kind));

    public static TheoryData<long> Sizes() => [.. new long[] { 1, 8, 9, 16, 17, 24, 31, 32, 33, 63, 64, 65, 96, 97, 100, 126, 128, 129, 191, 192, 193, 255, 256, 300, 511, 512, 600, 1000, 1024, 1500, 2048, 3000, 4000, 4087, 4088, 4096, 5000, 8191, 8192 }];

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Slab_gives_slubs_ksize_class_from_kmalloc_32_up_and_kmalloc_32_below(long size)
    {
        var slub = Create(SlabAllocatorKind.Slub);
        var slab = Create(SlabAllocatorKind.Slab);
        var expected = size <= 32 ? 32 : slub.Ksize(slub.Kmalloc(0, size, Gfp.Kernel).Address);
        var result = slab.Kmalloc(0, size, Gfp.Kernel);
        Assert.Equal(expected, slab.Ksize(result.Address));
        Assert.Equal(size <= 32 ? "kmalloc-32" : slub.CacheFor(size, Gfp.Kernel)!.Cache.Name, result.Cache);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Slob_ksize_is_the_request_rounded_to_a_slob_unit_and_page_size_less_8_goes_to_pages(long size)
    {
        var slob = Create(SlabAllocatorKind.Slob);
        var result = slob.Kmalloc(0, size, Gfp.Kernel);
        Assert.True(result.Succeeded);
        if (size >= 4088)
        {
            Assert.True(result.Large);
            Assert.Equal(4096L << SlubLayout.GetOrder(size, 4096), slob.Ksize(result.Address));
            return;
        }
        Assert.False(result.Large);
        Assert.Equal((size + 1) / 2 * 2, slob.Ksize(result.Address));
        Assert.Equal(size + 8, result.BytesAlloc);
        // The accounting class is the one SLUB would use, so slabinfo rows line up.
        Assert.Equal(Create(SlabAllocatorKind.Slub).CacheFor(size, Gfp.Kernel)!.Cache.Name, result.Cache);
        // kmalloc's natural alignment for powers of two; 8 bytes otherwise.
        Assert.Equal(0UL, result.Address.Value % (ulong)(long.IsPow2(size) ? Math.Max(8, size) : 8));
    }

    [Fact]
    public void Slob_kmalloc_blocks_share_pages_across_size_classes_and_kfree_returns_them()
    {
        var pages = new FakePageSource(1);
        var slob = new KmallocFamily(pages, [0, 0], 1, allocator: SlabAllocatorOptions.For(SlabAllocatorKind.Slob));
        var a = slob.Kmalloc(0, 20, Gfp.Kernel);
        var b = slob.Kmalloc(0, 200, Gfp.Kernel);
        var c = slob.Kmalloc(1, 50, Gfp.Kernel);
        Assert.Equal(1, pages.AllocCalls); // all below 256 with their header: one small-list page
        Assert.Equal(("kmalloc-32", "kmalloc-256", "kmalloc-64"), (a.Cache, b.Cache, c.Cache));
        Assert.True(slob.Kfree(1, a.Address));
        Assert.True(slob.Kfree(1, b.Address));
        Assert.False(slob.Kfree(0, b.Address));
        var report = Assert.Single(slob.DrainReports());
        Assert.Equal((SlabDebugKind.DoubleFree, true), (report.Kind, report.Silent));
        Assert.Equal(0L, pages.PagesReturned);
        Assert.True(slob.Kfree(0, c.Address));
        Assert.Equal(1L, pages.PagesReturned);
        Assert.Equal(0L, slob.Caches.Sum(x => x.ActiveObjects));
    }

    [Fact]
    public void Slob_large_kmalloc_of_order_0_is_not_compound()
    {
        var pages = new FakePageSource(1);
        var slob = new KmallocFamily(pages, [0], 1, allocator: SlabAllocatorOptions.For(SlabAllocatorKind.Slob));
        Assert.True(slob.Kmalloc(0, 4090, Gfp.Kernel).Large);
        Assert.Equal((0, Gfp.Kernel), (pages.Calls[^1].Order, pages.Calls[^1].Gfp));
        Assert.True(slob.Kmalloc(0, 5000, Gfp.Kernel).Large);
        Assert.Equal((1, Gfp.Kernel | Gfp.Comp), (pages.Calls[^1].Order, pages.Calls[^1].Gfp));
    }

    [Fact]
    public void Slab_kmalloc_96_takes_128_byte_slots_and_reports_its_tunables()
    {
        var slab = Create(SlabAllocatorKind.Slab);
        var result = slab.Kmalloc(0, 90, Gfp.Kernel);
        Assert.Equal(("kmalloc-96", 128L), (result.Cache, result.BytesAlloc));
        Assert.Equal(96, slab.Ksize(result.Address));
        var row = slab.Snapshot().Single(r => r.Name == "kmalloc-96");
        Assert.Equal((128, 32, 16L, 120, 60, 8), (row.ObjectSize, row.ObjectsPerSlab, row.ActiveObjects, row.Limit, row.BatchCount, row.SharedFactor));
        Assert.DoesNotContain(slab.Snapshot(), r => r.Name == "kmalloc-8");
    }

    [Fact]
    public void Kfree_frees_a_slab_cache_object_of_the_same_page_map()
    {
        var pages = new FakePageSource(1);
        var map = new SlabPageMap();
        var options = SlabAllocatorOptions.For(SlabAllocatorKind.Slab);
        var kmalloc = new KmallocFamily(pages, [0], 1, pageMap: map, allocator: options);
        var cache = SlabAllocatorFactory.Create(
            SlabAllocatorFactory.CreateCache(options, "foo", 40, 0, SlabFlags.None, false, 1, 1, 4096).Cache!, pages, [0], pageMap: map);
        Assert.IsType<NumaSim.Model.Slab.SlabAllocator>(cache);
        Assert.True(cache.Allocate(0, -1, Gfp.Kernel, out var address));
        Assert.True(kmalloc.Kfree(0, address));
        Assert.Equal(0, cache.ActiveObjects);
    }

    [Theory]
    [InlineData(SlabAllocatorKind.Slub)]
    [InlineData(SlabAllocatorKind.Slab)]
    [InlineData(SlabAllocatorKind.Slob)]
    public void Kmalloc_node_takes_memory_from_the_node_asked_for_under_every_allocator(SlabAllocatorKind kind)
    {
        var kmalloc = Create(kind, nodes: 2, cpuToNode: [0, 1]);
        var local = kmalloc.Kmalloc(1, 100, Gfp.Kernel);
        Assert.Equal((1, 1), (local.Node, FakePageSource.NodeOf(local.Address)));
        var remote = kmalloc.KmallocNode(1, 100, Gfp.Kernel, 0);
        Assert.Equal((0, 0), (remote.Node, FakePageSource.NodeOf(remote.Address)));
        Assert.Equal(kind, kmalloc.Allocator);
    }
}
