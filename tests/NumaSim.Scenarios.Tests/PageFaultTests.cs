namespace NumaSim.Scenarios.Tests;

/// <summary>
/// Page faults: the first touch of a page finds no PTE, the fault handler takes a zeroed page from the page
/// allocator by the mapping's policy and maps it. Config: numasim.workload.tasks, numasim.latency.fault-entry and
/// page-zero; outputs: vmstat pgfault, summary.json mmu.faults and latency_ns.fault.
/// </summary>
public sealed class PageFaultTests : NumaSimTestKit
{
    [Fact]
    public async Task Each_page_of_a_working_set_faults_once_on_first_touch_and_lands_on_the_faulting_cpus_node()
    {
        var faults = Listen<PageFaulted>();
        var run = await RunAsync(Machines.TwoNodes().WithTasks("0", "256K", accesses: 128, writeRatio: 1));

        Assert.Equal(64, run.Vmstat("pgfault"));
        Assert.Equal(64, run.Mmu.Faults);
        var seen = Enumerable.Range(0, 64).Select(_ => faults.ExpectMsg<PageFaulted>()).ToList();
        faults.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.All(seen, f => Assert.Equal(0, f.Node));
        Assert.Equal(64, seen.Select(f => f.VirtualAddress).Distinct().Count());
        // Fault entry 600 + a walk of 4 levels at 90 + the TLB lookup 1 + a page from the per-CPU list 40,
        // zeroed 250, then the access 90.
        Assert.Equal(1341, run.Latency("fault").P50);
    }

    [Fact]
    public async Task A_read_of_untouched_memory_maps_the_zero_page_and_a_later_write_copies_it()
    {
        // 64 pages read first (sequential, no writes): each read faults and maps the shared zero page.
        var reads = await RunAsync(Machines.TwoNodes().WithTasks("0", "256K", accesses: 64));
        Assert.Equal(64, reads.Vmstat("pgfault"));
        Assert.Equal(0, reads.Vmstat("nr_anon_pages"));
        // Nothing but the page tables (PGD, PUD, PMD, PTE) was allocated.
        Assert.Equal(4, reads.Numastat(0).Hit + reads.Numastat(1).Hit);

        // Read every page, then write every page: the writes fault again (do_wp_page) and each gets a page.
        var both = await RunAsync(Machines.TwoNodes().WithStepTask("0", "{ touch = 256K }"));
        var cow = await RunAsync(Machines.TwoNodes().WithTasks("0", "256K", accesses: 128, writeRatio: 0.5));
        Assert.Equal(64, both.Vmstat("nr_anon_pages"));
        Assert.True(cow.Vmstat("pgfault") > 64, $"pgfault {cow.Vmstat("pgfault")}: reads then writes of the same pages fault twice");
        Assert.Equal(cow.Vmstat("nr_anon_pages") + 4, cow.Numastat(0).Hit);
        Assert.True(cow.Vmstat("nr_anon_pages") < 64, "some pages were only read: they map the zero page");
    }

    [Fact]
    public async Task A_write_to_a_read_only_page_is_a_segfault_of_the_task_and_the_run_goes_on()
    {
        var reports = Listen<KernelReported>();
        var run = await RunAsync(Machines.TwoNodes().WithTasks("0", "1M", accesses: 4000, pattern: "random", writeRatio: 0.5, mprotectEvery: 500, chunk: "256K"));

        Assert.True(run.Mmu.Segfaults > 0);
        var report = reports.FishForMessage<KernelReported>(r => r.Kind == "segfault");
        Assert.Equal(0, report.Cpu);
        Assert.True(run.Complete);
    }
}
