using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Numa;

/// <summary>build_zonelists / find_next_best_node node order (mm/page_alloc.c).</summary>
public sealed class ZonelistTests
{
    private static MachineTopology Machine(int[][] distance, Func<int, int[]>? cpus = null)
    {
        var nodes = Enumerable.Range(0, distance.Length)
            .Select(n => new NodeSpec(
                n,
                cpus is null ? [2 * n, 2 * n + 1] : cpus(n),
                [new ZoneSpec(ZoneType.Normal, (n + 1) * 0x100000L, 2048, 2048, 2048)]))
            .ToList();
        return new MachineTopology("zl", Architecture.X86_64, nodes, distance, VmTunables.Default);
    }

    [Fact]
    public void An_asymmetric_four_node_table_gives_find_next_best_node_order()
    {
        int[][] distance =
        [
            [10, 20, 30, 20],
            [25, 10, 20, 30],
            [30, 20, 10, 20],
            [20, 30, 25, 10],
        ];
        // Every node has CPUs, so PENALTY_FOR_NODE_WITH_CPUS (1) is the same for all; MAX_NUMNODES = 1024.
        // val(n) = (distance[local][n] + (n < local) + 1) * 1024 + node_load[n]; node_load is shared and
        // grows by one for the first node of every new distance group; nodes are built in id order.
        // node 0: 0 first. 1: 21*1024+0, 2: 31*1024+0, 3: 21*1024+0 -> 1 (first of the tie; 20 != 10: load[1]=1)
        //         then 3 (21504 < 31744; 20 == 20: no load), then 2 (30 != 20: load[2]=1)      => 0 1 3 2, load 0 1 1 0
        // node 1: 1 first. 0: (25+1+1)*1024+0=27648, 2: 21*1024+1=21505, 3: 31*1024+0=31744 -> 2 (load[2]=2)
        //         then 0 (27648 < 31744; 25 != 20: load[0]=1), then 3 (30 != 25: load[3]=1)  => 1 2 0 3, load 1 1 2 1
        // node 2: 2 first. 0: 32*1024+1=32769, 1: 22*1024+1=22529, 3: 21*1024+1=21505 -> 3 (load[3]=2)
        //         then 1 (22529; 20 == 20: no load), then 0 (30 != 20: load[0]=2)           => 2 3 1 0, load 2 1 2 2
        // node 3: 3 first. 0: 22*1024+2=22530, 1: 32*1024+1=32769, 2: 27*1024+2=27650 -> 0 (load[0]=3)
        //         then 2 (27650 < 32769; 25 != 20: load[2]=3), then 1 (30 != 25: load[1]=2)  => 3 0 2 1
        var zonelists = new Zonelists(Machine(distance));
        Assert.Equal([0, 1, 3, 2], zonelists.NodeOrder(0));
        Assert.Equal([1, 2, 0, 3], zonelists.NodeOrder(1));
        Assert.Equal([2, 3, 1, 0], zonelists.NodeOrder(2));
        Assert.Equal([3, 0, 2, 1], zonelists.NodeOrder(3));
    }

    [Fact]
    public void Equally_distant_nodes_are_rotated_so_that_each_node_falls_back_to_a_different_one()
    {
        int[][] distance =
        [
            [10, 20, 20, 20],
            [20, 10, 20, 20],
            [20, 20, 10, 20],
            [20, 20, 20, 10],
        ];
        // node 0: 1, 2, 3 tie at 21*1024 -> 1 gets load 1.              => 0 1 2 3
        // node 1: 0 = 22*1024 (lower id), 2 = 3 = 21*1024 + 0 -> 2, load[2]=1; 3 (21504) before 0 (22528) => 1 2 3 0
        // node 2: 0 = 22528, 1 = 22529, 3 = 21504 -> 3, load[3]=1; 0 (22528) before 1 (22529)   => 2 3 0 1
        // node 3: 0 = 22528, 1 = 22529, 2 = 22529 -> 0, load[0]=1; then 1, 2                  => 3 0 1 2
        var zonelists = new Zonelists(Machine(distance));
        Assert.Equal([0, 1, 2, 3], zonelists.NodeOrder(0));
        Assert.Equal([1, 2, 3, 0], zonelists.NodeOrder(1));
        Assert.Equal([2, 3, 0, 1], zonelists.NodeOrder(2));
        Assert.Equal([3, 0, 1, 2], zonelists.NodeOrder(3));
        Assert.Equal(4, Enumerable.Range(0, 4).Select(n => zonelists.NodeOrder(n)[1]).Distinct().Count());
    }

    [Fact]
    public void A_headless_node_is_preferred_among_equally_distant_nodes()
    {
        int[][] distance =
        [
            [10, 20, 20],
            [20, 10, 20],
            [20, 20, 10],
        ];
        // Node 2 has memory but no CPUs: no PENALTY_FOR_NODE_WITH_CPUS, 20*1024 < 21*1024.
        var zonelists = new Zonelists(Machine(distance, n => n == 2 ? [] : [n]));
        Assert.Equal([0, 2, 1], zonelists.NodeOrder(0));
    }

    [Fact]
    public void Zones_of_the_zonelist_run_from_the_highest_zone_down_node_after_node()
    {
        var t = Support.Machines.MixedTwoNode();
        var zonelists = new Zonelists(t);
        Assert.Equal(
            [ZoneIndex.Of(0, ZoneType.Dma32), ZoneIndex.Of(0, ZoneType.Dma), ZoneIndex.Of(1, ZoneType.Normal)],
            zonelists.Zones(0, thisNodeOnly: false));
        Assert.Equal(
            [ZoneIndex.Of(1, ZoneType.Normal), ZoneIndex.Of(0, ZoneType.Dma32), ZoneIndex.Of(0, ZoneType.Dma)],
            zonelists.Zones(1, thisNodeOnly: false));
        Assert.Equal([ZoneIndex.Of(1, ZoneType.Normal)], zonelists.Zones(1, thisNodeOnly: true));
    }
}
