using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Mmu;

/// <summary>An access priced by the node's own HMAT latency, raised by its load; without HMAT, dram-local by distance.</summary>
public sealed class AccessLatencyTests
{
    /// <summary>Node 0: CPUs 0-1; node 1: CPUs 2-3; node 2: memory-only, 24 from node 0 and 28 from node 1.</summary>
    private static MachineTopology Machine(NodeAccess? dram, NodeAccess? cxl)
    {
        NodeSpec Node(int id, int[] cpus, NodeAccess? access) =>
            new(id, cpus, [new ZoneSpec(ZoneType.Normal, (id + 1) * 0x100000L, 4096, 4096, 4096)]) { Access = access };
        return new MachineTopology("cxl", Architecture.X86_64, [Node(0, [0, 1], dram), Node(1, [2, 3], dram), Node(2, [], cxl)],
            [[10, 21, 24], [21, 10, 28], [24, 28, 10]], VmTunables.Default);
    }

    private static readonly NodeAccess Cxl = new(200, 250, 40960, 20480);

    [Fact]
    public void Without_hmat_an_access_costs_dram_local_by_distance()
    {
        var cost = new AccessLatency(0, Machine(null, null), LatencyModel.Default);

        Assert.Equal(90, cost.Price(0, write: false, now: 0));
        Assert.Equal(189, cost.Price(1, write: true, now: 0));
        Assert.Equal(216, cost.Price(2, write: false, now: 0));
    }

    [Fact]
    public void A_node_with_hmat_costs_its_own_read_or_write_latency_from_its_nearest_cpus()
    {
        var cost = new AccessLatency(0, Machine(new NodeAccess(80, 80, 102400, 102400), Cxl), LatencyModel.Default);

        Assert.Equal(200, cost.Price(2, write: false, now: 0));
        Assert.Equal(250, cost.Price(2, write: true, now: 0));
        Assert.Equal(80, cost.Price(0, write: false, now: 0));
        Assert.Equal(168, cost.Price(1, write: false, now: 0)); // 80 x 21 / 10
    }

    [Fact]
    public void A_farther_cpu_sees_the_latency_scaled_by_the_distance_ratio()
    {
        var cost = new AccessLatency(2, Machine(null, Cxl), LatencyModel.Default);

        Assert.Equal(200 * 28 / 24, cost.Price(2, write: false, now: 0));
    }

    [Fact]
    public void Demand_near_a_cpus_share_of_the_bandwidth_raises_the_next_windows_latency()
    {
        // 4 CPUs share 4000 MB/s: 1000 MB/s each, 10,000 bytes per 10 us window. 117 reads of 64 bytes are 7,488
        // bytes: 748 thousandths in use, so the next window's reads cost 200 x (1 + 0.748² / 0.252) = 644 ns.
        var starved = new NodeAccess(200, 200, 4000, 4000);
        var cost = new AccessLatency(0, Machine(null, starved), LatencyModel.Default);
        for (var i = 0; i < 117; i++)
        {
            Assert.Equal(200, cost.Price(2, write: false, now: i * 80));
        }

        Assert.Equal(LoadedLatency.At(200, 748), cost.Price(2, write: false, now: AccessLatency.WindowNs));
        Assert.Equal(644, LoadedLatency.At(200, 748));
        // A window with no access in between: idle again.
        Assert.Equal(200, cost.Price(2, write: false, now: 5 * AccessLatency.WindowNs));
    }

    [Fact]
    public void Another_nodes_load_does_not_raise_this_ones_latency()
    {
        var cost = new AccessLatency(0, Machine(new NodeAccess(80, 80, 4000, 4000), new NodeAccess(200, 200, 4000, 4000)), LatencyModel.Default);
        for (var i = 0; i < 150; i++)
        {
            cost.Price(0, write: false, now: i * 60);
        }

        Assert.Equal(200, cost.Price(2, write: false, now: AccessLatency.WindowNs));
    }

    [Theory]
    [InlineData(0, 100)]
    [InlineData(200, 105)]
    [InlineData(500, 150)]
    [InlineData(900, 910)]
    [InlineData(950, 1905)]
    [InlineData(3000, 1905)]
    public void The_loaded_latency_curve_is_flat_when_idle_and_steep_near_full(int utilisation, long latency) =>
        Assert.Equal(latency, LoadedLatency.At(100, utilisation));
}
