using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using Xunit;

namespace NumaSim.Model.Tests.SlabAllocator;

public sealed class KmallocFamilyTests
{
    private static (KmallocFamily Family, FakePageSource Pages) Create(int nodes = 1, int[]? cpuToNode = null, string? debug = null)
    {
        var pages = new FakePageSource(nodes);
        return (new KmallocFamily(pages, cpuToNode ?? [0, 0], nodes, 4096, SlubDebugOptions.Parse(debug)), pages);
    }

    [Fact]
    public void Ksize_reports_the_bucket_and_large_blocks_report_their_pages()
    {
        var (kmalloc, _) = Create();
        Assert.Equal(128, kmalloc.Ksize(kmalloc.Kmalloc(0, 126, Gfp.Kernel).Address));
        Assert.Equal(8192, kmalloc.Ksize(kmalloc.Kmalloc(0, 8192, Gfp.Kernel).Address));
        // 8193 bytes: three pages, get_order(8193) = 2, a four-page block: PAGE_SIZE << 2 = 16384.
        var large = kmalloc.Kmalloc(0, 8193, Gfp.Kernel);
        Assert.Equal(16384, kmalloc.Ksize(large.Address));
        Assert.Equal(0, kmalloc.Ksize(ObjectAddress.ZeroSizePtr));
        Assert.Equal(0, kmalloc.Ksize(ObjectAddress.Null));
    }

    [Theory]
    [InlineData(Gfp.Kernel, "kmalloc-64")]
    [InlineData(Gfp.Kernel | Gfp.Reclaimable, "kmalloc-rcl-64")]
    [InlineData(Gfp.KernelAccount, "kmalloc-cg-64")]
    [InlineData(Gfp.Kernel | Gfp.Dma, "dma-kmalloc-64")]
    [InlineData(Gfp.Atomic | Gfp.Dma | Gfp.Reclaimable | Gfp.Account, "dma-kmalloc-64")]
    [InlineData(Gfp.Kernel | Gfp.Reclaimable | Gfp.Account, "kmalloc-rcl-64")]
    [InlineData(Gfp.Kernel | Gfp.Dma32, "kmalloc-64")]
    public void The_gfp_picks_the_kmalloc_variant_in_kmalloc_type_order(Gfp gfp, string cache)
    {
        var (kmalloc, _) = Create();
        var result = kmalloc.Kmalloc(0, 50, gfp);
        Assert.True(result.Succeeded);
        Assert.Equal(cache, result.Cache);
        Assert.Equal(64, result.BytesAlloc);
        Assert.Equal(50, result.BytesRequested);
    }

    [Fact]
    public void Dma_and_reclaimable_caches_ask_for_dma_and_reclaimable_slab_pages()
    {
        var (kmalloc, pages) = Create();
        kmalloc.Kmalloc(0, 64, Gfp.Kernel | Gfp.Dma);
        Assert.Equal(Gfp.Dma | Gfp.Comp, pages.Calls[^1].Gfp & (Gfp.Dma | Gfp.Comp | Gfp.Reclaimable));
        kmalloc.Kmalloc(0, 64, Gfp.Kernel | Gfp.Reclaimable);
        Assert.Equal(Gfp.Reclaimable | Gfp.Comp, pages.Calls[^1].Gfp & (Gfp.Dma | Gfp.Comp | Gfp.Reclaimable));
        Assert.Equal(MigrateType.Reclaimable, pages.Calls[^1].Gfp.MigrateType());
    }

    [Fact]
    public void Requests_above_8k_are_compound_page_blocks_and_kfree_returns_them()
    {
        var (kmalloc, pages) = Create();
        var result = kmalloc.Kmalloc(0, 8193, Gfp.Kernel);
        Assert.True(result.Large);
        Assert.Null(result.Cache);
        Assert.Equal((2, 16384L), (result.Order, result.BytesAlloc));
        Assert.Equal((2, Gfp.Kernel | Gfp.Comp), (pages.Calls[^1].Order, pages.Calls[^1].Gfp));
        Assert.Equal((1L, 4L), (kmalloc.LargeAllocations, kmalloc.LargePages));

        Assert.True(kmalloc.Kfree(1, result.Address));
        Assert.Equal((0L, 0L, 4L), (kmalloc.LargeAllocations, kmalloc.LargePages, pages.PagesReturned));
    }

    [Fact]
    public void Requests_above_kmalloc_max_size_fail_without_asking_for_pages()
    {
        var (kmalloc, pages) = Create();
        var result = kmalloc.Kmalloc(0, 4 * 1024 * 1024 + 1, Gfp.Kernel);
        Assert.False(result.Succeeded);
        Assert.Equal(0, pages.AllocCalls);
        Assert.True(kmalloc.Kmalloc(0, 4 * 1024 * 1024, Gfp.Kernel).Succeeded);
    }

    [Fact]
    public void Kmalloc_zero_returns_zero_size_ptr_and_kfree_of_null_or_zero_size_ptr_does_nothing()
    {
        var (kmalloc, pages) = Create();
        var zero = kmalloc.Kmalloc(0, 0, Gfp.Kernel);
        Assert.Equal(ObjectAddress.ZeroSizePtr, zero.Address);
        Assert.True(zero.Succeeded);
        Assert.True(kmalloc.Kfree(0, ObjectAddress.Null));
        Assert.True(kmalloc.Kfree(0, zero.Address));
        Assert.Equal(0, pages.AllocCalls);
        Assert.Empty(kmalloc.DrainReports());
    }

    [Fact]
    public void Kzalloc_sets_the_zeroing_flag_and_kmalloc_does_not()
    {
        var (kmalloc, _) = Create();
        Assert.True(kmalloc.Kzalloc(0, 100, Gfp.Kernel).Zeroed);
        Assert.False(kmalloc.Kmalloc(0, 100, Gfp.Kernel).Zeroed);
        Assert.True(kmalloc.Kmalloc(0, 100, Gfp.Kernel | Gfp.Zero).Zeroed);
        Assert.True(kmalloc.Kzalloc(0, 10000, Gfp.Kernel).Zeroed);
    }

    [Fact]
    public void Kzalloc_zeroes_the_requested_bytes_of_a_debug_object_and_keeps_the_kmalloc_red_zone()
    {
        var (kmalloc, _) = Create(debug: "FZPU");
        var result = kmalloc.Kzalloc(0, 60, Gfp.Kernel);
        var bytes = new byte[64];
        Assert.True(kmalloc.TryRead(result.Address, 0, bytes));
        Assert.All(bytes[..60], b => Assert.Equal(0, b));
        Assert.All(bytes[60..], b => Assert.Equal(0xcc, b)); // kmalloc Redzone (SLUB_RED_ACTIVE)
    }

    [Fact]
    public void Kmalloc_node_takes_memory_from_the_node_asked_for()
    {
        var (kmalloc, _) = Create(nodes: 2, cpuToNode: [0, 1]);
        var local = kmalloc.Kmalloc(1, 100, Gfp.Kernel);
        Assert.Equal(1, local.Node);
        Assert.Equal(1, FakePageSource.NodeOf(local.Address));
        var remote = kmalloc.KmallocNode(1, 100, Gfp.Kernel, 0);
        Assert.Equal(0, remote.Node);
        Assert.Equal(0, FakePageSource.NodeOf(remote.Address));
        var large = kmalloc.KmallocNode(1, 20000, Gfp.Kernel, 0);
        Assert.Equal(0, large.Node);
    }

    [Fact]
    public void Kfree_frees_objects_of_any_cache_on_the_same_page_map()
    {
        var pages = new FakePageSource(1);
        var map = new SlabPageMap();
        var kmalloc = new KmallocFamily(pages, [0], 1, pageMap: map);
        var cache = new SlubAllocator(KmemCache.Create("foo", 40, 0, SlabFlags.None, false, 1, 1, 4096).Cache!, pages, [0], pageMap: map);
        Assert.True(cache.Allocate(0, -1, Gfp.Kernel, out var address));
        Assert.True(kmalloc.Kfree(0, address));
        Assert.Equal(0, cache.ActiveObjects);
    }

    [Fact]
    public void Kfree_of_an_address_that_is_no_allocation_is_reported_and_frees_nothing()
    {
        var (kmalloc, _) = Create();
        var bogus = ObjectAddress.FromPfn(12345, 4096);
        Assert.False(kmalloc.Kfree(0, bogus));
        var report = Assert.Single(kmalloc.DrainReports());
        Assert.Equal(SlabDebugKind.InvalidPointer, report.Kind);
        Assert.Equal([$"object pointer: {bogus}"], report.Lines);
    }

    [Fact]
    public void The_snapshot_lists_every_kmalloc_cache_in_the_boot_order_with_counts()
    {
        var (kmalloc, _) = Create();
        for (var i = 0; i < 10; i++)
        {
            kmalloc.Kmalloc(0, 64, Gfp.Kernel);
        }
        var rows = kmalloc.Snapshot();
        Assert.Equal(KmallocCaches.Empty(4096, 2).Select(c => c.Name), rows.Select(r => r.Name));
        var row = rows.Single(r => r.Name == "kmalloc-64");
        // One CPU slab of 64: the 54 objects on the CPU freelist count as active in SLUB's slabinfo.
        Assert.Equal((64L, 64L, 64, 64, 1, 1L, 1L), (row.ActiveObjects, row.NumObjects, row.ObjectSize, row.ObjectsPerSlab, row.PagesPerSlab, row.ActiveSlabs, row.NumSlabs));
        Assert.True(rows.Single(r => r.Name == "kmalloc-rcl-64").Reclaimable);
    }
}
