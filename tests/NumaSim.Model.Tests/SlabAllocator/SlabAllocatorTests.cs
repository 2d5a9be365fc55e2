using NumaSim.Model.PageAlloc;
using Xunit;

namespace NumaSim.Model.Tests.SlabAllocator;

// Inside this namespace "SlabAllocator" would name the namespace: import the model's types here.
using NumaSim.Model.Slab;

/// <summary>
/// SLAB's array caches on a cache of 128-byte objects (32 per order-0 slab, objfreelist; limit 120, batchcount 60,
/// shared 8; on one node with 2 CPUs free_limit = (1 + 2) * 60 + 32 = 212).
/// </summary>
public sealed class SlabAllocatorTests
{
    private static (SlabAllocator Slab, FakePageSource Pages) Create(
        int nodes = 1, int[]? cpuToNode = null, int size = 128, bool alien = true, SlabFlags flags = SlabFlags.None)
    {
        cpuToNode ??= [0, 0];
        var options = SlabAllocatorOptions.For(SlabAllocatorKind.Slab) with { AlienCaches = alien };
        var cache = SlabAllocatorFactory.CreateCache(options, "test128", size, 0, flags, false, cpuToNode.Length, nodes, 4096).Cache!;
        var pages = new FakePageSource(nodes);
        return ((SlabAllocator)SlabAllocatorFactory.Create(cache, pages, cpuToNode, allocator: options), pages);
    }

    private static ObjectAddress Alloc(SlabAllocator slab, int cpu, int node = -1, Gfp gfp = Gfp.Kernel)
    {
        Assert.True(slab.Allocate(cpu, node, gfp, out var address));
        return address;
    }

    [Fact]
    public void The_first_allocation_grows_a_slab_and_refills_the_cpu_array_with_batchrefill_limit_objects()
    {
        var (slab, pages) = Create();
        Alloc(slab, 0);

        // An untouched array refills at most BATCHREFILL_LIMIT (16) of batchcount 60; one is handed out.
        Assert.Equal((1, 0, 15), (pages.AllocCalls, slab.Stats.AllocHit, slab.CpuAvail(0)));
        Assert.Equal(Gfp.ThisNode | Gfp.Comp, pages.Calls[0].Gfp & (Gfp.ThisNode | Gfp.Comp | Gfp.DirectReclaim));
        Assert.Equal(16, slab.NodeFreeObjects(0));
        Assert.Equal((0, 1, 0), slab.NodeSlabs(0));

        // slabinfo: objects in the CPU array count as active.
        var row = slab.Snapshot();
        Assert.Equal((16L, 32L, 1L, 1L), (row.ActiveObjects, row.NumObjects, row.ActiveSlabs, row.NumSlabs));
        Assert.Equal((120, 60, 8, 0L), (row.Limit, row.BatchCount, row.SharedFactor, row.SharedAvail));
    }

    [Fact]
    public void A_touched_array_refills_a_whole_batch_from_partial_slabs_then_from_a_new_slab()
    {
        var (slab, pages) = Create();
        for (var i = 0; i < 17; i++)
        {
            Alloc(slab, 0);
        }
        // The 17th allocation found the array empty but touched: the 16 left on the partial slab, then no more.
        Assert.Equal((1, 15, 0L), (pages.AllocCalls, slab.CpuAvail(0), slab.NodeFreeObjects(0)));
        Assert.Equal((1, 0, 0), slab.NodeSlabs(0));
        for (var i = 0; i < 16; i++)
        {
            Alloc(slab, 0);
        }
        // Nothing free on the node: a new slab, all 32 of it (batchcount 60) into the array.
        Assert.Equal((2, 31), (pages.AllocCalls, slab.CpuAvail(0)));
        Assert.Equal((2, 0, 0), slab.NodeSlabs(0));
        Assert.Equal(33, slab.ActiveObjects);
    }

    [Fact]
    public void A_full_cpu_array_flushes_its_oldest_batch_to_the_shared_array_then_to_the_slabs()
    {
        var (slab, _) = Create();
        Assert.True(slab.Tune(4, 2, 1)); // limit 4, batchcount 2, a shared array of 2
        Assert.Equal((4, 2), slab.CpuArray(0));
        Assert.Equal(2, slab.SharedLimit(0));
        Assert.Equal(3 * 2 + 32, slab.NodeFreeLimit(0));

        var objects = Enumerable.Range(0, 8).Select(_ => Alloc(slab, 0)).ToList();
        Assert.Equal((0, 24L), (slab.CpuAvail(0), slab.NodeFreeObjects(0)));
        foreach (var o in objects)
        {
            Assert.True(slab.Free(0, o));
        }

        // Frees 5 and 7 found the array full: first objects 0 and 1 went to the shared array, then 2 and 3 back to the
        // slab (the shared array was full).
        Assert.Equal((6L, 2L), (slab.Stats.FreeHit, slab.Stats.FreeMiss));
        Assert.Equal((4, 2, 26L), (slab.CpuAvail(0), slab.SharedAvail(0), slab.NodeFreeObjects(0)));
        var row = slab.Snapshot();
        Assert.Equal((6L, 2L, 4, 2, 1), (row.ActiveObjects, row.SharedAvail, row.Limit, row.BatchCount, row.SharedFactor));

        // CPU 1's empty array refills from the shared array first (the top of it: object 1).
        Assert.Equal(objects[1], Alloc(slab, 1));
        Assert.Equal((0, 1), (slab.SharedAvail(0), slab.CpuAvail(1)));
    }

    [Fact]
    public void Tunables_that_slabinfo_write_refuses_are_ignored()
    {
        var (slab, _) = Create();
        Assert.False(slab.Tune(0, 1, 0));
        Assert.False(slab.Tune(10, 11, 0));
        Assert.False(slab.Tune(10, 5, -1));
        Assert.Equal(new SlabTunables(120, 60, 8), slab.Tunables);
    }

    [Fact]
    public void Freeing_another_nodes_object_goes_to_the_alien_array_which_drains_into_that_nodes_shared_array()
    {
        var (slab, _) = Create(nodes: 2, cpuToNode: [0, 1]);
        var objects = Enumerable.Range(0, 13).Select(_ => Alloc(slab, 0)).ToList();
        Assert.All(objects, o => Assert.Equal(0, FakePageSource.NodeOf(o)));
        foreach (var o in objects)
        {
            Assert.True(slab.Free(1, o));
        }
        // 12 fill node 1's alien array for node 0; the 13th finds it full and drains it into node 0's shared array.
        Assert.Equal((1, 12, 0), (slab.AlienAvail(1, 0), slab.SharedAvail(0), slab.CpuAvail(1)));
        Assert.Equal((13L, 1L), (slab.Stats.NodeFrees, slab.Stats.NodeOverflow));
    }

    [Fact]
    public void Without_alien_caches_a_remote_free_goes_straight_back_to_its_slab()
    {
        var (slab, _) = Create(nodes: 2, cpuToNode: [0, 1], alien: false);
        var o = Alloc(slab, 0);
        var before = slab.NodeFreeObjects(0);
        Assert.True(slab.Free(1, o));
        Assert.Equal((before + 1, 0, 0), (slab.NodeFreeObjects(0), slab.AlienAvail(1, 0), slab.CpuAvail(1)));
    }

    [Fact]
    public void Kmem_cache_alloc_node_for_another_node_takes_from_that_node_and_falls_back_unless_thisnode()
    {
        var (slab, pages) = Create(nodes: 2, cpuToNode: [0, 0]);
        var remote = Alloc(slab, 0, node: 1);
        Assert.Equal(1, FakePageSource.NodeOf(remote));
        Assert.Equal((0, 31L), (slab.CpuAvail(0), slab.NodeFreeObjects(1)));
        Assert.Equal((0L, 1L), (slab.Stats.NodeAllocs, slab.Stats.Grown));

        // Node 1 exhausted and full: fallback_alloc finds node 0 has nothing free and grows from the CPU's node.
        for (var i = 0; i < 31; i++)
        {
            Alloc(slab, 0, node: 1);
        }
        pages.Exhaust(1);
        Assert.False(slab.Allocate(0, 1, Gfp.Kernel | Gfp.ThisNode, out _));
        var fallback = Alloc(slab, 0, node: 1);
        Assert.Equal(0, FakePageSource.NodeOf(fallback));
    }

    [Fact]
    public void Free_block_gives_free_slabs_back_above_free_limit_and_shrink_returns_the_rest()
    {
        var (slab, pages) = Create(cpuToNode: [0]);
        Assert.True(slab.Tune(120, 60, 0)); // no shared array: flushes go to free_block
        var objects = Enumerable.Range(0, 320).Select(_ => Alloc(slab, 0)).ToList();
        Assert.Equal(10, pages.AllocCalls);
        foreach (var o in objects)
        {
            Assert.True(slab.Free(0, o));
        }
        Assert.True(pages.PagesReturned > 0);
        Assert.InRange(slab.NodeFreeObjects(0), 0, slab.NodeFreeLimit(0));
        Assert.Equal(0, slab.Shrink());
        Assert.Equal((0L, 0L), (slab.TotalSlabs, slab.PagesInUse));
        Assert.Equal(pages.PagesTaken, pages.PagesReturned);
    }

    [Fact]
    public void Cache_reap_spares_a_touched_array_once_then_drains_a_fifth_of_the_limit()
    {
        var (slab, _) = Create();
        var objects = Enumerable.Range(0, 40).Select(_ => Alloc(slab, 0)).ToList();
        foreach (var o in objects)
        {
            slab.Free(0, o);
        }
        var avail = slab.CpuAvail(0);
        slab.Reap(0);
        Assert.Equal(avail, slab.CpuAvail(0));
        slab.Reap(0);
        Assert.Equal(avail - (120 + 4) / 5, slab.CpuAvail(0));
    }

    [Fact]
    public void Each_new_slab_of_a_node_shifts_its_objects_by_the_next_colour()
    {
        // 3000-byte objects: 2 per order-1 slab, 34 colours of 64 bytes. colour_next goes 1, 2, ...
        var (slab, _) = Create(size: 3000);
        var offsets = Enumerable.Range(0, 4).Select(_ => (long)((Alloc(slab, 0).Value - ObjectAddress.DirectMapBase) % 8192)).Order().ToArray();
        Assert.Equal([64, 128, 64 + 3000, 128 + 3000], offsets);
    }

    [Fact]
    public void Destroy_with_live_objects_keeps_the_slabs_and_warns()
    {
        var (slab, pages) = Create();
        var keep = Alloc(slab, 0);
        var result = slab.Destroy();
        Assert.Equal((1L, 1L, 1L), (result.LiveObjects, result.LeakedSlabs, result.LeakedPages));
        Assert.Empty(result.Reports);
        Assert.Equal("kmem_cache_destroy test128: Slab cache still has objects when called from f", result.Warning("f"));
        Assert.True(slab.Taint.IsSet(TaintFlag.Warn));
        Assert.Equal(1, pages.LiveBlocks);
        Assert.Throws<InvalidOperationException>(() => slab.Free(0, keep));
    }

    [Fact]
    public void A_double_free_without_debugging_is_refused_silently()
    {
        var (slab, _) = Create();
        var o = Alloc(slab, 0);
        Assert.True(slab.Free(0, o));
        Assert.False(slab.Free(0, o));
        var report = Assert.Single(slab.DrainReports());
        Assert.Equal((SlabDebugKind.DoubleFree, true), (report.Kind, report.Silent));
        Assert.Equal(0, slab.ActiveObjects);
    }
}
