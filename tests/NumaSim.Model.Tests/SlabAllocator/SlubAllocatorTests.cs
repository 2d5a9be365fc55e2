using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using Xunit;

namespace NumaSim.Model.Tests.SlabAllocator;

/// <summary>SLUB's allocation order, NUMA placement, remote frees, slab release and destroy on a plain cache of
/// 64-byte objects (64 per order-0 slab, min_partial 5, cpu_partial_slabs 4).</summary>
public sealed class SlubAllocatorTests
{
    private static (SlubAllocator Slub, FakePageSource Pages) Create(
        int nodes = 1, int[]? cpuToNode = null, int size = 64, bool ctor = false, SlabFlags flags = SlabFlags.None, string name = "test64")
    {
        cpuToNode ??= [0, 0];
        var cache = KmemCache.Create(name, size, 0, flags, ctor, cpuToNode.Length, nodes, 4096).Cache!;
        var pages = new FakePageSource(nodes);
        return (new SlubAllocator(cache, pages, cpuToNode), pages);
    }

    private static ObjectAddress Alloc(SlubAllocator slub, int cpu, int node = -1, Gfp gfp = Gfp.Kernel)
    {
        Assert.True(slub.Allocate(cpu, node, gfp, out var address));
        return address;
    }

    [Fact]
    public void Allocation_uses_the_cpu_slab_then_the_cpu_partial_list_then_the_node_partial_list_then_a_new_slab()
    {
        var (slub, pages) = Create();
        Assert.Equal(64, slub.Cache.ObjectsPerSlab);

        var objects = Enumerable.Range(0, 3 * 64).Select(_ => Alloc(slub, 0)).ToList();
        Assert.Equal(3, pages.AllocCalls);
        Assert.Equal(3, slub.Stats.AllocSlab);
        Assert.Equal(3 * 64 - 3, slub.Stats.AllocFastpath);
        var (a, b, c) = (objects[5], objects[64 + 7], objects[128 + 9]);

        // Freeing into full slabs (not the CPU slab) puts them on the freeing CPU's partial list.
        Assert.True(slub.Free(0, a));
        Assert.True(slub.Free(0, b));
        Assert.Equal(2, slub.CpuPartialSlabs(0));
        Assert.Equal(2, slub.Stats.CpuPartialFree);

        // The CPU slab is exhausted: the most recent CPU partial slab comes first.
        Assert.Equal(b, Alloc(slub, 0));
        Assert.Equal(a, Alloc(slub, 0));
        Assert.Equal(2, slub.Stats.CpuPartialAlloc);
        Assert.Equal(3, pages.AllocCalls);

        // CPU 1 frees into the third (full) slab: it lands on CPU 1's list; flush_all moves it to the node.
        Assert.True(slub.Free(1, c));
        slub.FlushAll();
        Assert.Equal(1, slub.NodePartialSlabs(0));
        Assert.Equal(c, Alloc(slub, 0));
        Assert.Equal(1, slub.Stats.AllocFromPartial);
        Assert.Equal(3, pages.AllocCalls);

        // Nothing free anywhere: a new slab.
        Alloc(slub, 0);
        Assert.Equal(4, pages.AllocCalls);
        Assert.Equal(4, slub.Stats.AllocSlab);
        Assert.Equal(3 * 64 + 1, slub.ActiveObjects);
    }

    [Fact]
    public void A_node_partial_refill_moves_up_to_half_the_cpu_partial_limit_onto_the_cpu_list()
    {
        var (slub, _) = Create();
        var objects = Enumerable.Range(0, 6 * 64).Select(_ => Alloc(slub, 0)).ToList();
        for (var s = 0; s < 6; s++)
        {
            Assert.True(slub.Free(1, objects[s * 64]));
        }
        slub.FlushAll();
        Assert.Equal(6, slub.NodePartialSlabs(0));

        Alloc(slub, 0);
        // One slab becomes the CPU slab and 3 follow it (cpu_partial_slabs / 2 = 2, the loop stops after > 2).
        Assert.Equal((2, 3), (slub.NodePartialSlabs(0), slub.CpuPartialSlabs(0)));
        Assert.Equal(3, slub.Stats.CpuPartialNode);
    }

    [Fact]
    public void A_cpu_on_node_1_gets_node_1_slabs_and_kmem_cache_alloc_node_0_gets_node_0()
    {
        var (slub, pages) = Create(nodes: 2, cpuToNode: [0, 0, 1, 1]);
        var local = Alloc(slub, 2);
        Assert.Equal(1, FakePageSource.NodeOf(local));
        Assert.Equal((1, 1), (pages.Calls[^1].Node, slub.CpuSlabNode(2)));

        var remote = Alloc(slub, 2, node: 0);
        Assert.Equal(0, FakePageSource.NodeOf(remote));
        Assert.Equal(1, slub.Stats.AllocNodeMismatch);
        // The first try is node 0 only, without reclaim (GFP_NOWAIT | __GFP_THISNODE).
        Assert.True((pages.Calls[^1].Gfp & Gfp.ThisNode) != 0);
        Assert.Equal(0, slub.CpuSlabNode(2));

        // The node-1 slab went to node 1's partial list; a NUMA_NO_NODE allocation keeps using the CPU slab.
        Assert.Equal(1, slub.NodePartialSlabs(1));
        Assert.Equal(0, FakePageSource.NodeOf(Alloc(slub, 2)));
    }

    [Fact]
    public void Thisnode_is_honoured_and_without_it_a_full_node_falls_back()
    {
        var (slub, pages) = Create(nodes: 2, cpuToNode: [0, 1]);
        pages.Exhaust(0);

        Assert.False(slub.Allocate(0, 0, Gfp.Kernel | Gfp.ThisNode, out _));
        Assert.All(pages.Calls, call => Assert.Equal(0, call.Node));
        Assert.Equal(1, slub.Stats.AllocFailed);

        var calls = pages.AllocCalls;
        var address = Alloc(slub, 0, node: 0);
        Assert.Equal(1, FakePageSource.NodeOf(address));
        // Two refused __GFP_THISNODE tries (preferred and minimum order), then the original flags succeed elsewhere.
        Assert.Equal(calls + 3, pages.AllocCalls);
        Assert.True((pages.Calls[^1].Gfp & Gfp.ThisNode) == 0);

        // NUMA_NO_NODE from a CPU of the full node: the page source falls back too.
        Assert.Equal(1, FakePageSource.NodeOf(Alloc(slub, 1, gfp: Gfp.Kernel)));
    }

    [Fact]
    public void An_object_freed_by_another_cpu_waits_on_the_slab_until_the_owner_refills()
    {
        var (slub, _) = Create();
        var x = Alloc(slub, 0);
        Assert.True(slub.Free(1, x));
        Assert.Equal(1, slub.Stats.FreeFrozen);
        Assert.Equal(63, slub.CpuFreeObjects(0));

        var next = Enumerable.Range(0, 63).Select(_ => Alloc(slub, 0)).ToList();
        Assert.DoesNotContain(x, next);
        Assert.Equal(x, Alloc(slub, 0));
        Assert.Equal(1, slub.Stats.AllocRefill);
    }

    [Fact]
    public void A_local_free_goes_back_to_the_cpu_freelist_and_is_reused_first()
    {
        var (slub, _) = Create();
        var x = Alloc(slub, 0);
        Alloc(slub, 0);
        Assert.True(slub.Free(0, x));
        Assert.Equal(1, slub.Stats.FreeFastpath);
        Assert.Equal(x, Alloc(slub, 0));
    }

    [Fact]
    public void Empty_slabs_beyond_min_partial_go_back_to_the_page_source()
    {
        var (slub, pages) = Create();
        var objects = Enumerable.Range(0, 8 * 64).Select(_ => Alloc(slub, 0)).ToList();
        foreach (var o in objects)
        {
            Assert.True(slub.Free(1, o));
        }
        slub.FlushAll();
        Assert.Equal(0, slub.ActiveObjects);
        Assert.Equal(slub.Cache.MinPartialSlabs, slub.TotalSlabs);
        Assert.Equal(8 - slub.Cache.MinPartialSlabs, pages.PagesReturned);

        Assert.Equal(0, slub.Shrink());
        Assert.Equal(8, pages.PagesReturned);
        Assert.Equal(0, pages.LiveBlocks);
    }

    [Fact]
    public void A_new_slab_runs_the_constructor_once_per_object()
    {
        var (slub, _) = Create(ctor: true);
        Assert.Equal(56, slub.Cache.ObjectsPerSlab); // 72-byte slots: the free pointer sits after the object
        for (var i = 0; i < 57; i++)
        {
            Alloc(slub, 0);
        }
        Assert.Equal(2 * 56, slub.CtorCalls);
    }

    [Fact]
    public void Destroy_with_live_objects_reports_them_and_leaves_their_slab_allocated()
    {
        var (slub, pages) = Create(name: "foo");
        var a = Alloc(slub, 0);
        var b = Alloc(slub, 0);
        var c = Alloc(slub, 0);
        Assert.True(slub.Free(0, b));

        var result = slub.Destroy();
        Assert.Equal((2L, 1L, 1L), (result.LiveObjects, result.LeakedSlabs, result.LeakedPages));
        Assert.Equal(
            "kmem_cache_destroy foo: Slab cache still has objects when called from foo_exit+0x10/0x20 [foo]",
            result.Warning("foo_exit+0x10/0x20 [foo]"));
        var report = Assert.Single(result.Reports);
        Assert.Equal(SlabDebugKind.ObjectsRemaining, report.Kind);
        Assert.Equal(
            [
                SlabDebugReport.Rule,
                "BUG foo (Not tainted): Objects remaining in foo on __kmem_cache_shutdown()",
                SlabDebugReport.Dashes,
                "",
                $"Object {a} @offset=0",
                $"Object {c} @offset=128",
            ],
            report.Lines);
        Assert.True(slub.Taint.IsSet(TaintFlag.BadPage) && slub.Taint.IsSet(TaintFlag.Warn));
        Assert.Equal(0, pages.PagesReturned);
        Assert.Throws<InvalidOperationException>(() => slub.Allocate(0, -1, Gfp.Kernel, out _));
    }

    [Fact]
    public void Destroy_after_freeing_everything_returns_every_page()
    {
        var (slub, pages) = Create(nodes: 2, cpuToNode: [0, 1]);
        var objects = Enumerable.Range(0, 300).Select(i => Alloc(slub, i % 2)).ToList();
        foreach (var o in objects)
        {
            Assert.True(slub.Free(0, o));
        }
        var result = slub.Destroy();
        Assert.Null(result.Warning("x"));
        Assert.Empty(result.Reports);
        Assert.Equal((0L, 0L), (result.LiveObjects, result.LeakedPages));
        Assert.Equal(pages.PagesTaken, pages.PagesReturned);
        Assert.Equal(0, slub.PageMap.PageCount);
    }

    [Fact]
    public void Slabinfo_counts_free_objects_only_on_node_partial_lists_as_free()
    {
        var (slub, _) = Create();
        var objects = Enumerable.Range(0, 3 * 64).Select(_ => Alloc(slub, 0)).ToList();
        for (var i = 0; i < 10; i++)
        {
            Assert.True(slub.Free(0, objects[i]));
        }
        // 10 free objects on CPU 0's partial list: slabinfo still counts them active.
        var row = slub.Snapshot();
        Assert.Equal((192L, 192L, 3L, 3L), (row.ActiveObjects, row.NumObjects, row.ActiveSlabs, row.NumSlabs));
        slub.FlushAll();
        Assert.Equal(182, slub.Snapshot().ActiveObjects);
        Assert.Equal(182, slub.ActiveObjects);
    }

    [Fact]
    public void A_failed_preferred_order_falls_back_to_the_minimum_order()
    {
        var cache = KmemCache.Create("big", 1000, 0, SlabFlags.None, false, 2, 1, 4096).Cache!;
        Assert.Equal((2, 0), (cache.Order, cache.MinOrder)); // 1000-byte slots: order 2 (16 objects), min order 0 (4)
        var pages = new FakePageSource(1);
        pages.SetBudget(0, 3);
        var slub = new SlubAllocator(cache, pages, [0, 0]);
        Assert.True(slub.Allocate(0, -1, Gfp.Kernel, out _));
        Assert.Equal(1, slub.Stats.OrderFallback);
        Assert.Equal((2, 0), (pages.Calls[0].Order, pages.Calls[1].Order));
        // The first try may not reclaim or retry: __GFP_NORETRY | __GFP_NOWARN, no direct reclaim, __GFP_NOMEMALLOC.
        Assert.Equal(Gfp.NoRetry | Gfp.NoWarn | Gfp.NoMemalloc, pages.Calls[0].Gfp & (Gfp.NoRetry | Gfp.NoWarn | Gfp.NoMemalloc | Gfp.DirectReclaim));
        Assert.Equal(Gfp.Kernel | Gfp.Comp, pages.Calls[1].Gfp);
        Assert.Equal(4, slub.TotalObjects);
    }

    [Fact]
    public void Double_free_and_bad_pointers_on_a_cache_without_checks_are_refused_silently()
    {
        var (slub, _) = Create();
        var x = Alloc(slub, 0);
        Alloc(slub, 0);
        Assert.True(slub.Free(0, x));
        Assert.False(slub.Free(0, x));
        Assert.False(slub.Free(0, x.Add(8)));
        Assert.Equal(1, slub.ActiveObjects);
        var reports = slub.DrainReports();
        Assert.Equal([SlabDebugKind.DoubleFree, SlabDebugKind.InvalidPointer], reports.Select(r => r.Kind));
        Assert.All(reports, r => Assert.True(r.Silent && r.Lines.Count == 0));
    }

    [Fact]
    public void Freeing_another_caches_object_warns_and_frees_it_to_its_own_cache()
    {
        var pages = new FakePageSource(1);
        var map = new SlabPageMap();
        var foo = new SlubAllocator(KmemCache.Create("foo", 64, 0, SlabFlags.None, false, 1, 1, 4096).Cache!, pages, [0], pageMap: map);
        var bar = new SlubAllocator(KmemCache.Create("bar", 64, 0, SlabFlags.None, false, 1, 1, 4096).Cache!, pages, [0], pageMap: map);
        Assert.True(bar.Allocate(0, -1, Gfp.Kernel, out var x));
        Assert.True(foo.Free(0, x));
        Assert.Equal(0, bar.ActiveObjects);
        var report = Assert.Single(foo.DrainReports());
        Assert.Equal(["cache_from_obj: Wrong slab cache. foo but object is from bar"], report.Lines);
    }
}
