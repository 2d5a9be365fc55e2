using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using Xunit;

namespace NumaSim.Model.Tests.SlabAllocator;

/// <summary>SLOB's heap with 4 KiB pages: 2-byte units (2048 per page), three free lists, first fit within a page,
/// pages back to the page allocator as soon as they are empty.</summary>
public sealed class SlobAllocatorTests
{
    private static readonly SlabAllocatorOptions Slob = SlabAllocatorOptions.For(SlabAllocatorKind.Slob);

    private static SlobAllocator Cache(FakePageSource pages, SlabPageMap map, int size, int[]? cpuToNode = null, int nodes = 1, bool ctor = false)
    {
        var cache = SlabAllocatorFactory.CreateCache(Slob, $"slob-{size}", size, 0, SlabFlags.None, ctor, 2, nodes, 4096).Cache!;
        return (SlobAllocator)SlabAllocatorFactory.Create(cache, pages, cpuToNode ?? [0, 0], pageMap: map);
    }

    private static ObjectAddress Alloc(ISlabAllocator cache, int cpu = 0, int node = -1)
    {
        Assert.True(cache.Allocate(cpu, node, Gfp.Kernel, out var address));
        return address;
    }

    private static long PageOffset(ObjectAddress a) => (long)((a.Value - ObjectAddress.DirectMapBase) % 4096);

    private static long Pfn(ObjectAddress a) => (long)((a.Value - ObjectAddress.DirectMapBase) / 4096);

    [Fact]
    public void Blocks_are_carved_first_fit_with_alignment_splitting_the_head()
    {
        var pages = new FakePageSource(1);
        var map = new SlabPageMap();
        var hundred = Cache(pages, map, 100);
        // 100 bytes = 50 units; align 8: 0, then 100 -> 104 (a 2-unit head stays free), then 204 -> 208.
        var a = Alloc(hundred);
        var b = Alloc(hundred);
        var c = Alloc(hundred);
        Assert.Equal([0L, 104, 208], [PageOffset(a), PageOffset(b), PageOffset(c)]);
        Assert.Equal(1, hundred.HeapPages);

        // Free the middle one: it merges with the free head before it (units 50..102). A 40-byte object of another
        // cache takes the first block that fits: the hole, aligned to 104 again.
        Assert.True(hundred.Free(0, b));
        var forty = Cache(pages, map, 40);
        Assert.Equal(b, Alloc(forty));
        Assert.Equal(1, pages.AllocCalls);
    }

    [Fact]
    public void Small_medium_and_large_requests_grow_their_own_free_lists()
    {
        var pages = new FakePageSource(1);
        var map = new SlabPageMap();
        var small = Alloc(Cache(pages, map, 100));
        var medium = Alloc(Cache(pages, map, 300));
        var large = Cache(pages, map, 2000);
        var big = Alloc(large);
        Assert.Equal(3, new[] { Pfn(small), Pfn(medium), Pfn(big) }.Distinct().Count());
        Assert.Equal((1, 1, 1), large.HeapFreeLists);
        // Another large object still fits its page (2048 - 1000 units left).
        Assert.Equal(Pfn(big), Pfn(Alloc(large)));
    }

    [Fact]
    public void A_page_goes_back_as_soon_as_its_last_block_is_freed()
    {
        var pages = new FakePageSource(1);
        var cache = Cache(pages, new SlabPageMap(), 64);
        var objects = Enumerable.Range(0, 100).Select(_ => Alloc(cache)).ToList();
        Assert.Equal(2, pages.AllocCalls); // 64 blocks of 32 units fill a page
        Assert.Equal(2L, cache.PagesInUse);
        foreach (var o in objects)
        {
            Assert.True(cache.Free(1, o));
        }
        Assert.Equal(pages.PagesTaken, pages.PagesReturned);
        Assert.Equal(0, cache.Shrink());
        Assert.Equal((0L, 0L), (cache.ActiveObjects, cache.PagesInUse));
    }

    [Fact]
    public void Objects_of_a_page_or_more_are_page_blocks_of_their_own()
    {
        var pages = new FakePageSource(1);
        var cache = Cache(pages, new SlabPageMap(), 5000);
        var o = Alloc(cache);
        Assert.Equal((1, Gfp.Kernel), (pages.Calls[0].Order, pages.Calls[0].Gfp));
        Assert.Equal(0L, PageOffset(o));
        Assert.Equal(2L, cache.PagesInUse);
        var row = cache.Snapshot();
        Assert.Equal((1L, 1L, 5000, 1, 2, 1L), (row.ActiveObjects, row.NumObjects, row.ObjectSize, row.ObjectsPerSlab, row.PagesPerSlab, row.NumSlabs));
        Assert.True(cache.Free(0, o));
        Assert.Equal(2L, pages.PagesReturned);
    }

    [Fact]
    public void Without_a_node_any_page_serves_with_a_node_only_that_nodes_pages()
    {
        var pages = new FakePageSource(2);
        var cache = Cache(pages, new SlabPageMap(), 100, cpuToNode: [0, 1], nodes: 2);
        var first = Alloc(cache, cpu: 0);
        Assert.Equal(0, FakePageSource.NodeOf(first));
        // CPU 1 (node 1) without a node: the node-0 page has room, and SLOB takes it.
        Assert.Equal(0, FakePageSource.NodeOf(Alloc(cache, cpu: 1)));
        // With node 1: a page of node 1.
        Assert.Equal(1, FakePageSource.NodeOf(Alloc(cache, cpu: 0, node: 1)));
        Assert.Equal(2, pages.AllocCalls);
    }

    [Fact]
    public void The_ctor_runs_on_every_allocation()
    {
        var cache = Cache(new FakePageSource(1), new SlabPageMap(), 100, ctor: true);
        var o = Alloc(cache);
        cache.Free(0, o);
        Alloc(cache);
        Assert.Equal(2, cache.CtorCalls);
    }

    [Fact]
    public void Bad_frees_are_refused_silently_and_destroy_cannot_see_leaks()
    {
        var map = new SlabPageMap();
        var pages = new FakePageSource(1);
        var cache = Cache(pages, map, 100);
        var other = Cache(pages, map, 100);
        var o = Alloc(cache);
        var p = Alloc(other);
        Assert.True(cache.Free(0, o));
        Assert.False(cache.Free(0, o));
        Assert.False(cache.Free(0, p));
        Assert.False(cache.Free(0, p.Add(2)));
        Assert.Equal(
            [(SlabDebugKind.DoubleFree, true), (SlabDebugKind.WrongCache, true), (SlabDebugKind.InvalidPointer, true)],
            cache.DrainReports().Select(r => (r.Kind, r.Silent)));

        var result = other.Destroy();
        Assert.Equal((1L, 0L), (result.LiveObjects, result.LeakedSlabs));
        Assert.Null(result.Warning("f"));
        Assert.Empty(result.Reports);
    }
}
