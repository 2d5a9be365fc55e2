namespace NumaSim.Scenarios.Tests;

/// <summary>
/// The kmalloc family: a request goes to the smallest kmalloc-N cache that holds it (ksize is N), kzalloc also
/// zeroes it, kmalloc_node takes it from the node asked for, kfree gives it back. Config: numasim.workload.script;
/// outputs: /proc/slabinfo, vmstat nr_slab_unreclaimable, summary.json kernel and latency_ns.kmalloc / kzalloc.
/// </summary>
public sealed class KmallocTests : NumaSimTestKit
{
    [Fact]
    public async Task Kmalloc_of_100_bytes_takes_a_kmalloc_128_object_from_a_new_order_0_slab_of_32()
    {
        var run = await RunAsync(Machines.TwoNodesFourCpus()
            .At("1us", 0, "kmalloc", ("name", "a"), ("size", 100))
            .At("2us", 0, "kzalloc", ("name", "b"), ("size", 100)));

        // SLUB's slabinfo counts every object of a CPU's active slab as in use, as the kernel's does.
        var row = run.Slabinfo("kmalloc-128");
        Assert.Equal((32L, 32L, 128, 32, 1), (row.ActiveObjects, row.NumObjects, row.ObjectSize, row.ObjectsPerSlab, row.PagesPerSlab));
        Assert.Equal(1, run.Vmstat("nr_slab_unreclaimable"));
        Assert.Equal(1, run.Latency("kmalloc_new_pages").Count);
        Assert.Equal(1, run.Latency("kzalloc").Count);
    }

    [Fact]
    public async Task Kfree_returns_the_object_and_kmalloc_node_serves_from_the_node_asked_for()
    {
        var run = await RunAsync(Machines.TwoNodesFourCpus()
            .At("1us", 0, "kmalloc", ("name", "local"), ("size", 64))
            .At("2us", 0, "kmalloc", ("name", "far"), ("size", 64), ("node", 1))
            .At("3us", 0, "kfree", ("name", "local")));

        Assert.Equal(2, run.Slabinfo("kmalloc-64").NumSlabs);
        Assert.Equal(2, run.Kernel.Allocations);
        Assert.Equal(1, run.Kernel.Frees);
        // Two kmalloc-64 slab pages: node 0's for `local`, node 1's for `far` (asked for by a CPU of node 0).
        Assert.Equal(1, run.Numastat(1).Other);
    }

    [Fact]
    public async Task A_request_above_8k_bypasses_the_caches_for_a_compound_page_block()
    {
        var run = await RunAsync(Machines.TwoNodesFourCpus().At("1us", 0, "kmalloc", ("name", "big"), ("size", 16384)));

        Assert.DoesNotContain(run.Machine.SlabCaches, c => c.ActiveObjects > 0);
        // The kernel still accounts a large kmalloc's pages (order 2 here) as unreclaimable slab memory.
        Assert.Equal(4, run.Vmstat("nr_slab_unreclaimable"));
        Assert.Equal(1, run.Kernel.Allocations);
    }
}
