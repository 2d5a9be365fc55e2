namespace NumaSim.Scenarios.Tests;

/// <summary>
/// The kernel's own allocations under memory pressure: a slab page allocated with GFP_KERNEL takes the page
/// allocator's slow path as a task's fault does (wake kswapd, reclaim directly), so page cache makes room for
/// kmalloc instead of kmalloc failing at the min watermark. Config: numasim.workload.kernel with GFP_KERNEL
/// kmalloc, a task's read-file step; outputs: summary.json's kernel totals, vmstat's reclaim counters, meminfo.
/// </summary>
public sealed class SlabReclaimTests : NumaSimTestKit
{
    [Fact]
    public async Task Gfp_kernel_slab_pages_reclaim_page_cache_instead_of_failing()
    {
        // 256 MiB on one node: a task caches 200 MiB of a file, then a worker kmallocs 12,000 objects of 8 KiB (94 MiB) that it keeps.
        var scenario = NumaScenario.OnTopology("""
                nodes = [ { id = 0, cpus = "0-1", memory = 256M } ]
                distance = [[10]]
                """)
            .WithSeed(3)
            .WithStepTask("0", """{ read-file = 200M, file = "big" }""")
            .WithKernelStream("""
                {
                  cpus = "1"
                  context = process
                  operations = 12000
                  think-time = 20us
                  mix = [ { op = kmalloc, size = 8K, gfp = "GFP_KERNEL", lifetime = forever } ]
                }
                """);

        var run = await RunAsync(scenario);

        Assert.Equal(0, run.Kernel.Failed);
        Assert.True(run.Vmstat("pgsteal_kswapd") + run.Vmstat("pgsteal_direct") > 0, "nothing was reclaimed for the slab pages");
        Assert.True(run.Vmstat("pageoutrun") > 0, "kswapd was not woken");
        Assert.InRange(run.Vmstat("nr_slab_unreclaimable"), 12000 * 2, 12000 * 2 + 512); // two pages an object, and partial slabs
        Assert.True(run.Vmstat("nr_file_pages") < 200 * 256, "the page cache kept every page");
    }
}
