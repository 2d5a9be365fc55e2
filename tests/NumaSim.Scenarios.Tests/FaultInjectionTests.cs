namespace NumaSim.Scenarios.Tests;

/// <summary>
/// Fault injection at a simulated time: a zone that runs out of memory, a node whose memory goes offline, a CPU
/// switched into interrupt context and an object overrun are in <see cref="GfpContextTests"/> and
/// <see cref="SlabCacheTests"/>. Config: numasim.workload.faults; outputs: numastat, zoneinfo, vmstat pgalloc_*.
/// </summary>
public sealed class FaultInjectionTests : NumaSimTestKit
{
    private static NumaScenario OneAllocationAMicrosecond() =>
        Machines.TwoNodes().WithStream("0", 300, "1us", null, new AllocationMix(1, 0, "GFP_KERNEL", null));

    [Fact]
    public async Task Once_node_0_goes_offline_its_cpu_is_served_by_node_1()
    {
        var remote = Listen<RemoteAllocationServed>();
        var run = await RunAsync(OneAllocationAMicrosecond().OfflineNode("100us", 0));

        // The CPU's per-CPU list still holds up to a batch of node-0 pages; after that, node 1 serves.
        var first = remote.ExpectMsg<RemoteAllocationServed>();
        Assert.True(first.SimulatedNs >= 100_000, $"first remote allocation at {first.SimulatedNs} ns");
        Assert.Equal(1, first.ZoneNode);
        Assert.True(run.Numastat(0).Foreign > 0);
        Assert.Equal(run.Numastat(0).Foreign, run.Numastat(1).Miss);
        Assert.Equal(0, run.Zoneinfo(0, ZoneType.Normal, "pages free"));
        Assert.Equal(0, run.Zoneinfo(0, ZoneType.Dma32, "pages free"));
        Assert.Equal(300, run.Allocations.Served);
    }

    [Fact]
    public async Task An_exhausted_normal_zone_sends_gfp_kernel_down_the_zonelist_to_dma32()
    {
        var run = await RunAsync(OneAllocationAMicrosecond().ExhaustZone("50us", 0, ZoneType.Normal));

        Assert.Equal(0, run.Zoneinfo(0, ZoneType.Normal, "pages free"));
        Assert.True(run.Vmstat("pgalloc_dma32") > 0);
        Assert.Equal(0, run.Numastat(1).Hit);
    }

    [Fact]
    public async Task A_fault_on_a_zone_the_node_lacks_is_bad_input_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<NumaSim.Workloads.Config.ConfigException>(
            () => RunAsync(OneAllocationAMicrosecond().ExhaustZone("50us", 0, ZoneType.Movable)));

        Assert.Contains("numasim.workload.faults[0].zone", error.Message, StringComparison.Ordinal);
        Assert.Contains("node 0 has no populated Movable zone", error.Message, StringComparison.Ordinal);
    }
}
