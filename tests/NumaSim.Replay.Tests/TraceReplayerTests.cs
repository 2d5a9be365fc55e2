using NumaSim.Formats.Trace;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Replay;
using static NumaSim.Replay.Tests.TraceLines;
using NumaSim.Results;

namespace NumaSim.Replay.Tests;

public sealed class TraceReplayerTests
{
    private static TraceReplayer NewReplayer() => new(ReplayMachines.TwoSocket, ReplayMachines.Local);

    private static TraceReplaySummary Summary(TraceReplayer replayer) => replayer.Summary(new TraceStats(), "trace.txt");

    private static long FreePages(MachineSnapshot s, int node) => s.Nodes.Single(n => n.Node == node).FreePages;

    [Fact]
    public void An_order_4_page_alloc_takes_its_block_from_the_simulated_zone_and_its_free_gives_it_back()
    {
        var replayer = NewReplayer();
        var boot = FreePages(replayer.Snapshot(), 0);
        var events = ReplayMachines.Events(Trace(PageAlloc(0, 1.0, 0x123450, 4), PageFree(3, 1.5, 0x123450, 4)));

        replayer.Apply(events[0]);
        Assert.Equal(boot - 16, FreePages(replayer.Snapshot(), 0));
        replayer.Apply(events[1]);

        Assert.Equal(boot, FreePages(replayer.Snapshot(), 0));
        var summary = Summary(replayer);
        Assert.Equal((1, 1, 0L, 0L), (summary.PageAllocs, summary.PageFrees, summary.FreesUnmatched, summary.LivePages));
        Assert.Empty(replayer.Errors);
    }

    [Fact]
    public void Each_of_the_six_kmem_events_is_applied_to_the_model()
    {
        var replayer = NewReplayer();
        var events = ReplayMachines.Events(Trace(
            PageAlloc(0, 1.000001, 0x10a2b0, 0, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO", 1),
            Kmalloc(0, 1.000002, 0xffff888100a1b2c0, 126, 128),
            KmemCacheAlloc(1, 1.000003, 0xffff888100b00000, "vm_area_struct", 184, 192),
            Kfree(2, 1.000004, 0xffff888100a1b2c0),
            KmemCacheFree(3, 1.000005, 0xffff888100b00000, "vm_area_struct"),
            PageFree(4, 1.000006, 0x10a2b0, 0)));

        foreach (var e in events.Take(3))
        {
            replayer.Apply(e);
        }
        var live = Summary(replayer);
        Assert.Equal(2, replayer.ModelObjects);
        Assert.Equal((1L, 2L, 1L, 2L), (live.LivePages, live.LiveObjects, live.PageAllocs, live.ObjectAllocs));
        var allocated = replayer.Snapshot();
        Assert.Contains(allocated.SlabCaches, c => c.Name == "vm_area_struct" && c.NumObjects > 0);
        Assert.Contains(allocated.SlabCaches, c => c.Name == "kmalloc-128" && c.NumObjects > 0);
        Assert.True(allocated.Nodes[0].Stat(NodeStatItem.NrSlabUnreclaimable) > 0, "slab pages come from node 0's zones");

        foreach (var e in events.Skip(3))
        {
            replayer.Apply(e);
        }
        var done = Summary(replayer);
        Assert.Equal(0, replayer.ModelObjects);
        Assert.Equal((0L, 0L, 1L, 2L, 0L), (done.LivePages, done.LiveObjects, done.PageFrees, done.ObjectFrees, done.FreesUnmatched));
        Assert.Equal(6, replayer.Events);
        Assert.Equal(5_000, replayer.SimulatedNs);
        Assert.Empty(replayer.Errors);
    }

    [Fact]
    public void Frees_of_memory_allocated_before_the_trace_began_are_counted_not_errors()
    {
        var result = ReplayMachines.Replay(Trace(
            PageFree(0, 1.0, 0x4242, 0),
            Kfree(1, 1.1, 0xffff888100000040),
            KmemCacheFree(1, 1.2, 0xffff888100000080, "dentry"),
            Kmalloc(0, 1.3, 0xffff888100a1b2c0, 64, 64),
            Kfree(0, 1.4, 0xffff888100a1b2c0)));

        var trace = result.Summary.Trace!;
        Assert.Equal((1L, 2L, 3L), (trace.PageFreesUnmatched, trace.ObjectFreesUnmatched, trace.FreesUnmatched));
        Assert.Equal(1, trace.ObjectFrees);
        Assert.Empty(result.Summary.Errors);
        Assert.True(result.Summary.Complete);
    }

    [Fact]
    public void Kfree_of_null_or_zero_size_ptr_is_a_traced_no_op()
    {
        var trace = ReplayMachines.Replay(Trace(
            Kfree(0, 1.0, 0),
            Kmalloc(0, 1.1, 0x10, 0, 0),
            Kfree(0, 1.2, 0x10))).Summary.Trace!;

        Assert.Equal(2, trace.NullFrees);
        Assert.Equal(0, trace.FreesUnmatched);
        Assert.Equal(0, trace.LiveObjects);
        Assert.Equal(0, trace.Fidelity.BytesAllocMismatches);
    }

    [Fact]
    public void Allocations_that_failed_in_the_traced_kernel_are_not_replayed()
    {
        var trace = ReplayMachines.Replay(Trace(
            PageAlloc(0, 1.0, 0, 10, "GFP_KERNEL|__GFP_NORETRY", 0, page: 0),
            Kmalloc(0, 1.1, 0, 100, 128))).Summary.Trace!;

        Assert.Equal((0L, 1L), (trace.PageAllocs, trace.PageAllocsFailedInTrace));
        Assert.Equal((0L, 1L), (trace.ObjectAllocs, trace.ObjectAllocsFailedInTrace));
        Assert.Equal(1, trace.Fidelity.MigratetypeChecked);
        Assert.Equal(1, trace.Fidelity.BytesAllocChecked);
    }

    [Fact]
    public void An_allocation_the_simulated_machine_cannot_serve_is_counted_and_its_free_dropped()
    {
        var result = ReplayMachines.Replay(Trace(PageAlloc(0, 1.0, 0x800000, 11), PageFree(0, 1.1, 0x800000, 11)));

        var trace = result.Summary.Trace!;
        Assert.Equal((1L, 1L, 0L, 0L), (trace.PageAllocs, trace.PageAllocFailures, trace.PageFrees, trace.FreesUnmatched));
        Assert.Equal(1, result.Summary.Allocations.Failed);
    }

    [Fact]
    public void A_free_of_another_order_frees_the_traced_block_whole_and_is_counted()
    {
        var replayer = NewReplayer();
        var boot = FreePages(replayer.Snapshot(), 0);
        foreach (var e in ReplayMachines.Events(Trace(PageAlloc(0, 1.0, 0x200000, 5), PageFree(0, 1.1, 0x200000, 0))))
        {
            replayer.Apply(e);
        }

        Assert.Equal(boot, FreePages(replayer.Snapshot(), 0));
        Assert.Equal(1, Summary(replayer).PageFreeOrderMismatches);
    }

    [Fact]
    public void An_allocation_of_a_ptr_still_live_frees_the_earlier_object_first()
    {
        var replayer = NewReplayer();
        foreach (var e in ReplayMachines.Events(Trace(
            Kmalloc(0, 1.0, 0xffff888100a1b2c0, 64, 64),
            Kmalloc(0, 1.1, 0xffff888100a1b2c0, 64, 64),
            PageAlloc(0, 1.2, 0x300000, 4),
            PageAlloc(0, 1.3, 0x300000, 4))))
        {
            replayer.Apply(e);
        }

        var summary = Summary(replayer);
        Assert.Equal(2, summary.AllocsOverLive);
        Assert.Equal(1, replayer.ModelObjects);
        Assert.Equal((1L, 16L), (summary.LiveObjects, summary.LivePages));
    }

    [Fact]
    public void Kmalloc_class_and_migratetype_disagreements_with_the_trace_are_counted()
    {
        var trace = ReplayMachines.Replay(Trace(
            Kmalloc(0, 1.0, 0xffff888100000100, 126, 128),
            Kmalloc(0, 1.1, 0xffff888100000200, 126, 192),
            Kmalloc(0, 1.2, 0xffff888100000300, 9000, 16384),
            PageAlloc(0, 1.3, 0x1000, 0, "GFP_KERNEL", 0),
            PageAlloc(0, 1.4, 0x1001, 0, "GFP_KERNEL", 1),
            PageAlloc(0, 1.5, 0x1002, 0, "GFP_KERNEL|__GFP_RECLAIMABLE", 2))).Summary.Trace!;

        Assert.Equal(new TraceFidelity(3, 1, 3, 1), trace.Fidelity);
    }

    [Fact]
    public void A_kmem_cache_is_created_once_from_its_traced_bytes_alloc_and_kmalloc_names_use_the_kmalloc_cache()
    {
        var result = ReplayMachines.Replay(Trace(
            KmemCacheAlloc(0, 1.0, 0xffff888100000100, "task_struct", 9000, 9024),
            KmemCacheAlloc(0, 1.1, 0xffff888100000200, "task_struct", 9000, 9024),
            KmemCacheAlloc(0, 1.2, 0xffff888100000300, "kmalloc-64", 40, 64),
            KmemCacheAlloc(0, 1.3, 0xffff888100000400, null, 176, 192)));

        var trace = result.Summary.Trace!;
        Assert.Equal(2, trace.CachesCreated);
        Assert.Equal(4, trace.LiveObjects);
        var caches = result.Machine.SlabCaches;
        Assert.Equal(["unnamed-192", "task_struct"], caches.Take(2).Select(c => c.Name));
        Assert.Equal(9024, caches.Single(c => c.Name == "task_struct").ObjectSize);
        Assert.True(caches.Single(c => c.Name == "kmalloc-64").NumObjects > 0);
        Assert.Equal(1, caches.Count(c => c.Name == "kmalloc-64"));
    }

    [Fact]
    public void A_node_the_simulated_machine_lacks_becomes_no_node()
    {
        var result = ReplayMachines.Replay(Trace(Kmalloc(0, 1.0, 0xffff888100000100, 64, 64, node: 7)), ReplayMachines.SingleNode);

        Assert.Equal(1, result.Summary.Trace!.LiveObjects);
        Assert.Equal(0, result.Summary.Trace.ObjectAllocFailures);
    }
}
