using NumaSim.Model.Tiering;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Tiering;

/// <summary>mm/memory-tiers.c: abstract distance from HMAT against the CPU nodes' DRAM, tiers and demotion targets.</summary>
public sealed class MemoryTiersTests
{
    private static readonly NodeAccess Dram = new(80, 80, 102400, 102400);

    /// <summary>Nodes 0..cpuNodes-1 have two CPUs each, the rest are memory-only; every node has 512 MiB.</summary>
    private static MachineTopology Machine(int cpuNodes, int[][] distance, params NodeAccess?[] access)
    {
        var nodes = Enumerable.Range(0, distance.Length)
            .Select(n => new NodeSpec(n, n < cpuNodes ? [2 * n, (2 * n) + 1] : [],
                [new ZoneSpec(ZoneType.Normal, (n + 1) * 0x100000L, 131072, 131072, 131072)]) { Access = access.ElementAtOrDefault(n) })
            .ToList();
        return new MachineTopology("tiers", Architecture.X86_64, nodes, distance, VmTunables.Default);
    }

    private static readonly int[][] ThreeNodes = [[10, 21, 24], [21, 10, 28], [24, 28, 10]];

    private static string[] Names(MemoryTiers tiers) =>
        [.. tiers.Tiers.Select(t => $"{t.Name}: {CpuList.Format(t.Nodes)}")];

    [Fact]
    public void The_issues_machine_puts_the_200_ns_node_in_memory_tier28()
    {
        // 576 x (200+200)/(80+80) = 1440; x (102400+102400)/(40960+40960) = 3600; 3600 >> 7 = 28.
        var tiers = MemoryTiers.Establish(Machine(2, ThreeNodes, Dram, Dram, new NodeAccess(200, 200, 40960, 40960)));

        Assert.Equal(["memory_tier4: 0-1", "memory_tier28: 2"], Names(tiers));
        Assert.Equal(3600, tiers.AdistanceOf(2));
        Assert.Equal(MemoryTiers.AdistanceDram, tiers.AdistanceOf(0));
    }

    [Fact]
    public void The_qemu_fixture_figures_give_memory_tier45_as_the_guest_showed()
    {
        // tests/fixtures/qemu-boot-hmat: 80 ns / 100000 MB/s against 200 ns / 25000 MB/s; the guest listed memory_tier45.
        var tiers = MemoryTiers.Establish(Machine(2, ThreeNodes,
            new NodeAccess(80, 80, 100000, 100000), new NodeAccess(80, 80, 100000, 100000), new NodeAccess(200, 200, 25000, 25000)));

        Assert.Equal(["memory_tier4: 0-1", "memory_tier45: 2"], Names(tiers));
    }

    [Fact]
    public void Equal_performance_shares_the_dram_tier_and_demotes_nowhere()
    {
        var tiers = MemoryTiers.Establish(Machine(2, ThreeNodes, Dram, Dram, Dram));

        Assert.Equal(["memory_tier4: 0-2"], Names(tiers));
        Assert.All(new[] { 0, 1, 2 }, n => Assert.Empty(tiers.PreferredDemotionTargets(n)));
        Assert.All(new[] { 0, 1, 2 }, n => Assert.True(tiers.IsTopTier(n)));
    }

    [Fact]
    public void Without_hmat_every_node_is_dram()
    {
        var tiers = MemoryTiers.Establish(Machine(2, ThreeNodes));

        Assert.Equal(["memory_tier4: 0-2"], Names(tiers));
        Assert.Null(tiers.DefaultDramPerf);
    }

    [Fact]
    public void Slower_memory_lands_in_a_higher_tier_and_the_slowest_highest()
    {
        int[][] distance = [[10, 20, 30, 40], [20, 10, 40, 30], [30, 40, 10, 40], [40, 30, 40, 10]];
        var tiers = MemoryTiers.Establish(Machine(1, distance, Dram,
            new NodeAccess(85, 85, 102400, 102400),     // 576 x 170/160 = 612: still tier 4
            new NodeAccess(160, 160, 102400, 102400),   // twice the latency: 1152, tier 9
            new NodeAccess(160, 160, 51200, 51200)));   // and half the bandwidth: 2304, tier 18

        Assert.Equal(["memory_tier4: 0-1", "memory_tier9: 2", "memory_tier18: 3"], Names(tiers));
        Assert.Equal(612, tiers.AdistanceOf(1));
        Assert.False(tiers.IsTopTier(2));
    }

    [Fact]
    public void Faster_memory_than_dram_gets_a_lower_tier()
    {
        // An HBM-like node: half DRAM's latency, twice its bandwidth: 576 / 4 = 144, memory_tier1.
        var tiers = MemoryTiers.Establish(Machine(1, [[10, 20], [20, 10]], Dram, new NodeAccess(40, 40, 204800, 204800)));

        Assert.Equal(["memory_tier1: 1", "memory_tier4: 0"], Names(tiers));
        Assert.Equal([0], tiers.PreferredDemotionTargets(1));
        // The tier with CPUs is the top tier, and every faster one with it.
        Assert.True(tiers.IsTopTier(1));
    }

    [Fact]
    public void Dram_nodes_more_than_10_percent_apart_turn_the_hmat_algorithm_off()
    {
        var tiers = MemoryTiers.Establish(Machine(2, ThreeNodes, Dram, new NodeAccess(90, 80, 102400, 102400), new NodeAccess(200, 200, 40960, 40960)));

        Assert.Null(tiers.DefaultDramPerf);
        Assert.Equal(["memory_tier4: 0-2"], Names(tiers));
    }

    [Fact]
    public void Each_node_demotes_to_the_nearest_nodes_of_the_next_tier_and_may_fall_back_to_any_slower_one()
    {
        // The kernel's example 1: nodes 0-1 DRAM with CPUs, 2-3 slower memory-only nodes, each near one socket.
        int[][] distance = [[10, 20, 30, 40], [20, 10, 40, 30], [30, 40, 10, 40], [40, 30, 40, 10]];
        var slow = new NodeAccess(300, 300, 20480, 20480);
        var tiers = MemoryTiers.Establish(Machine(2, distance, Dram, Dram, slow, slow));

        Assert.Equal([2], tiers.PreferredDemotionTargets(0));
        Assert.Equal([3], tiers.PreferredDemotionTargets(1));
        Assert.Empty(tiers.PreferredDemotionTargets(2));
        Assert.Equal([2, 3], tiers.AllowedDemotionTargets(0));
        Assert.Empty(tiers.AllowedDemotionTargets(3));
        Assert.True(tiers.IsTopTier(0));
        Assert.False(tiers.IsTopTier(3));
    }

    [Fact]
    public void Equally_near_targets_are_all_preferred()
    {
        int[][] distance = [[10, 30, 30], [30, 10, 30], [30, 30, 10]];
        var slow = new NodeAccess(300, 300, 20480, 20480);
        var tiers = MemoryTiers.Establish(Machine(1, distance, Dram, slow, slow));

        Assert.Equal([1, 2], tiers.PreferredDemotionTargets(0));
    }

    [Fact]
    public void The_adistance_is_computed_in_the_kernels_unsigned_32_bit_arithmetic()
    {
        // 576 x 2000 = 1,152,000; / 160 = 7200; x 4,000,000,000 wraps at 2^32 before the division, as in the kernel.
        var huge = new NodeAccess(80, 80, 2_000_000_000, 2_000_000_000);
        var adist = MemoryTiers.Adistance(new NodeAccess(1000, 1000, 1_000_000, 1_000_000), huge);

        Assert.Equal((int)(uint)(7200UL * 4_000_000_000UL % (1UL << 32) / 2_000_000UL), adist);
    }
}
