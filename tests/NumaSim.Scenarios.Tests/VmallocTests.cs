namespace NumaSim.Scenarios.Tests;

/// <summary>
/// vmalloc: virtually contiguous, physically scattered order-0 pages mapped into the kernel's vmalloc area; vfree
/// unmaps them and flushes every CPU's TLB (the others by IPI). Config: script vmalloc / vfree; outputs:
/// /proc/vmallocinfo, meminfo VmallocUsed, mmu.ipis.
/// </summary>
public sealed class VmallocTests : NumaSimTestKit
{
    [Fact]
    public async Task Vmalloc_maps_whole_pages_behind_a_guard_page_and_vfree_flushes_the_other_cpus_by_ipi()
    {
        var ipis = Listen<IpiReceived>();
        var run = await RunAsync(Machines.TwoNodesFourCpus()
            .At("1us", 0, "vmalloc", ("name", "v"), ("size", "12K"))
            .At("2us", 0, "vmalloc", ("name", "w"), ("size", "8K"))
            .At("3us", 0, "vfree", ("name", "w")));

        var area = Assert.Single(run.Proc("vmallocinfo").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(" 16384 ", area, StringComparison.Ordinal); // 3 pages and the guard page
        Assert.EndsWith("pages=3 vmalloc N0=3", area, StringComparison.Ordinal);
        Assert.Equal(3, run.Mmu.Ipis);
        var flushed = new[] { ipis.ExpectMsg<IpiReceived>(), ipis.ExpectMsg<IpiReceived>(), ipis.ExpectMsg<IpiReceived>(), ipis.ExpectMsg<IpiReceived>() };
        ipis.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        // Every CPU's TLB flushed the 2 pages: CPU 0's own one too, through its CPU actor.
        Assert.Equal([0, 1, 2, 3], flushed.Select(i => i.Cpu).Order());
        Assert.All(flushed, i => Assert.Equal(2, i.Pages));
        Assert.Equal(20, flushed.Single(i => i.Cpu == 2).Distance);
    }
}
