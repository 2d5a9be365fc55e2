namespace NumaSim.Scenarios.Tests;

/// <summary>
/// Reading files through the page cache under memory pressure, as the actors run it: the cache fills a node and
/// spills, kswapd reclaims what does not fit, anonymous memory spills past the cache. The machine is the fidelity
/// machine (2 nodes of 512 MiB, one CPU each) as Linux 6.12 had it under QEMU just before the task ran (the boot's
/// zoneinfo: managed and used pages, per-CPU lists, watermarks), and the kernel's figures are the ones measured
/// there (docs/validation.md, "Page cache and reclaim"). Config: read-file steps, numasim.sysctl.zone-reclaim-mode;
/// outputs: numastat, vmstat's reclaim counters, meminfo's file pages.
/// </summary>
public sealed class PageCacheTests : NumaSimTestKit
{
    private static NumaScenario FidelityMachine(long managed0, long inUse0, string pcp0, string marks0, long managed1, long inUse1, string pcp1, string marks1) =>
        NumaScenario.OnTopology($$"""
            nodes = [
              { id = 0, cpus = "0", zones = [
                { type = DMA, start-pfn = 1, spanned = 4095, present = 3998, managed = 3840, in-use = 32, watermarks { min = 190, low = 237, high = 284, promo = 331 } }
                { type = DMA32, start-pfn = 4096, spanned = 126976, present = 126976, managed = {{managed0}}, in-use = {{inUse0}}, pcp-pages = {{pcp0}}, watermarks {{marks0}} }
              ] }
              { id = 1, cpus = "1", zones = [
                { type = DMA32, start-pfn = 131072, spanned = 131036, present = 131036, managed = {{managed1}}, in-use = {{inUse1}}, pcp-pages = {{pcp1}}, watermarks {{marks1}} }
              ] }
            ]
            distance = [[10, 21], [21, 10]]
            """).WithSeed(1);

    /// <summary>The boot before the 768 MiB read.</summary>
    private static NumaScenario Read768Boot() => FidelityMachine(
        124815, 5655, "[650, 888]", "{ min = 6202, low = 7752, high = 9302, promo = 10852 }",
        118804, 6289, "[197, 2388]", "{ min = 5786, low = 7232, high = 8678, promo = 10124 }");

    /// <summary>The boot before the 1200 MiB read.</summary>
    private static NumaScenario Read1200Boot() => FidelityMachine(
        115260, 8338, "[1437, 2155]", "{ min = 5642, low = 7052, high = 8462, promo = 9872 }",
        128359, 5225, "[1722, 433]", "{ min = 6346, low = 7932, high = 9518, promo = 11104 }");

    /// <summary>The boot before the 320 MiB read and the 256 MiB touch.</summary>
    private static NumaScenario Read320AnonBoot() => FidelityMachine(
        115260, 8107, "[3572, 44]", "{ min = 5642, low = 7052, high = 8462, promo = 9872 }",
        128359, 6038, "[894, 1798]", "{ min = 6346, low = 7932, high = 9518, promo = 11104 }");

    private const long MiB = 256; // pages

    [Fact]
    public async Task Reading_768_MiB_caches_node_0_to_its_low_watermark_then_node_1_and_a_second_read_allocates_nothing()
    {
        var run = await RunAsync(Read768Boot().WithStepTask("0", """{ read-file = 768M, file = "big" }""", """{ read-file = 768M, file = "big" }"""));

        // Kernel: node 0 numa_hit 114,039, node 1 numa_miss 82,746, nothing reclaimed.
        Assert.InRange(run.Numastat(0).Hit, 114_039 * 98 / 100, 114_039 * 102 / 100);
        Assert.InRange(run.Numastat(1).Miss, 82_746 * 98 / 100, 82_746 * 102 / 100);
        Assert.Equal(768 * MiB, run.Vmstat("nr_file_pages"));
        Assert.Equal(768 * MiB, run.Vmstat("nr_inactive_file") + run.Vmstat("nr_active_file"));
        Assert.Equal(768 * MiB * 4, run.Vmstat("pgpgin"));
        Assert.Equal(0, run.Vmstat("pgsteal_kswapd") + run.Vmstat("pgsteal_direct"));
        // The file's xarray: 3,072 leaves, 48 nodes above them and a root, radix_tree_node objects at 7 a page.
        Assert.InRange(run.Vmstat("nr_slab_reclaimable"), 3_121 / 7, 3_121 / 7 + 8);
        // The second read found every page cached: one allocation per page, and those slabs (2 pages each here; the
        // kernel's count, 196,785, was 177 over the pages), and the task's page directory.
        Assert.InRange(run.Numastat(0).Hit + run.Numastat(1).Miss - 768 * MiB, run.Vmstat("nr_slab_reclaimable") / 2, run.Vmstat("nr_slab_reclaimable") / 2 + 4);
    }

    [Fact]
    public async Task Reading_1200_MiB_wakes_both_kswapds_which_reclaim_what_does_not_fit_without_direct_reclaim()
    {
        var run = await RunAsync(Read1200Boot().WithStepTask("0", """{ read-file = 1200M, file = "big" }"""));

        // Kernel: pgsteal_kswapd 89,710, allocstall 0; node 0 ends with 102,383 file pages, node 1 with 113,506.
        var steal = run.Vmstat("pgsteal_kswapd");
        Assert.InRange(steal, 89_710 * 95 / 100, 89_710 * 105 / 100);
        Assert.Equal(steal, run.Vmstat("pgscan_kswapd"));
        Assert.Equal(0, run.Vmstat("allocstall_dma32") + run.Vmstat("pgsteal_direct"));
        Assert.True(run.Vmstat("pageoutrun") > 0);
        Assert.Equal(1200 * MiB - steal, run.Vmstat("nr_file_pages"));
        Assert.InRange(run.Vmstat("nr_file_pages"), (102_383 + 113_506) * 97 / 100, (102_383 + 113_506) * 103 / 100);
    }

    [Fact]
    public async Task Anonymous_memory_touched_after_320_MiB_of_cache_spills_to_node_1_and_zone_reclaim_mode_1_does_not_stop_it()
    {
        foreach (var mode in new[] { 0, 1 })
        {
            var run = await RunAsync(Read320AnonBoot()
                .With($"sysctl.zone-reclaim-mode = {mode}")
                .WithStepTask("0", """{ read-file = 320M, file = "big" }""", "{ touch = 256M }"));

            // Kernel (mode 0 and mode 1 alike): 43,104 of the 65,536 anonymous pages on node 1, the cache kept.
            Assert.Equal(320 * MiB, run.Vmstat("nr_file_pages"));
            Assert.Equal(0, run.Vmstat("pgsteal_kswapd") + run.Vmstat("pgsteal_direct"));
            Assert.InRange(run.Numastat(1).Miss, 43_104 * 95 / 100, 43_104 * 105 / 100 + 200);
        }
    }
}
