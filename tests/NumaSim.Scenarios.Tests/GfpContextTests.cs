namespace NumaSim.Scenarios.Tests;

/// <summary>
/// gfp flags and CPU contexts: GFP_KERNEL may sleep (direct reclaim, modeled as simulated waiting), GFP_ATOMIC may
/// not and dips below the min watermark; a sleeping allocation in interrupt context is a BUG. Config: a kernel
/// stream's gfp and context, script `context`; outputs: summary.json kernel.reclaim_waits, errors, zoneinfo.
/// </summary>
public sealed class GfpContextTests : NumaSimTestKit
{
    [Fact]
    public async Task Under_pressure_gfp_kernel_waits_in_reclaim_and_gfp_atomic_takes_the_zone_below_min()
    {
        var reports = Listen<KernelReported>();
        var run = await RunAsync(NumaScenario.FromFile(NumaScenario.ShippedScenario("atomic-pressure")));

        Assert.True(run.Kernel.ReclaimWaits > 0);
        Assert.True(run.Zoneinfo(0, ZoneType.Dma32, "pages free") < run.Zoneinfo(0, ZoneType.Dma32, "min"));
        var failure = reports.FishForMessage<KernelReported>(r => r.Kind == "page_allocation_failure");
        Assert.Contains("page allocation failure: order:", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gfp_kernel_in_a_hard_interrupt_is_reported_as_sleeping_in_atomic_context()
    {
        var reports = Listen<KernelReported>();
        var run = await RunAsync(Machines.TwoNodesFourCpus()
            .SwitchContext("1us", 1, "hardirq")
            .At("2us", 1, "kmalloc", ("name", "x"), ("size", 64), ("gfp", "GFP_KERNEL")));

        var bug = reports.ExpectMsg<KernelReported>();
        Assert.Equal(("sleeping_in_atomic", 1, 2_000L), (bug.Kind, bug.Cpu, bug.SimulatedNs));
        Assert.StartsWith("BUG: sleeping function called from invalid context", bug.Message, StringComparison.Ordinal);
        Assert.Equal(1, run.Kernel.SleepingInAtomic);
    }
}
