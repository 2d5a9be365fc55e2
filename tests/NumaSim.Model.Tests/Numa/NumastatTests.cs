using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Numa;

/// <summary>
/// nodeN/numastat semantics (zone_statistics in mm/page_alloc.c, interleave_hit in mm/mempolicy.c) on two nodes:
/// node 0 with CPUs 0-1, node 1 with CPUs 2-3, one Normal zone each, SLIT 10/20.
/// </summary>
public sealed class NumastatTests
{
    private static readonly int Node0 = ZoneIndex.Of(0, ZoneType.Normal);
    private static readonly int Node1 = ZoneIndex.Of(1, ZoneType.Normal);

    private static AllocationRequest Kernel(int order = 0, MemPolicy? policy = null, Gfp extra = Gfp.None) =>
        new(order, Gfp.Kernel | extra, policy ?? MemPolicy.Default);

    private static NumaEvents Numa(PageAllocatorMachine machine, int node) => machine.Snapshot([]).Nodes[node].Numa;

    [Fact]
    public void A_local_allocation_counts_numa_hit_and_local_node_on_the_local_node()
    {
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal());
        var (_, zone) = machine.Allocate(1, Kernel());
        Assert.Equal(Node0, zone);
        Assert.Equal(new NumaEvents(1, 0, 0, 0, 1, 0), Numa(machine, 0));
        Assert.Equal(NumaEvents.Zero, Numa(machine, 1));
        var (_, zone2) = machine.Allocate(3, Kernel());
        Assert.Equal(Node1, zone2);
        Assert.Equal(new NumaEvents(1, 0, 0, 0, 1, 0), Numa(machine, 1));
    }

    [Fact]
    public void Falling_back_to_node_1_counts_numa_miss_on_node_1_and_numa_foreign_on_node_0()
    {
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal());
        var local = 0;
        int zone;
        while ((zone = machine.Allocate(0, Kernel()).Zone) == Node0)
        {
            local++;
        }
        Assert.Equal(Node1, zone);
        // Node 0 is exhausted down to its low watermark: the fast path at low found it short.
        var node0 = machine.Zone(Node0);
        Assert.True(node0.Buddy.FreePages <= node0.Setup.Watermarks.Low, $"{node0.Buddy.FreePages} free > low {node0.Setup.Watermarks.Low}");
        Assert.True(local > 0);

        var zone0 = machine.Snapshot([]).Nodes[0].Zones.Single().Numa;
        var zone1 = machine.Snapshot([]).Nodes[1].Zones.Single().Numa;
        Assert.Equal(new NumaEvents(local, 0, 1, 0, local, 0), zone0);
        Assert.Equal(new NumaEvents(0, 1, 0, 0, 0, 1), zone1);
    }

    [Fact]
    public void Preferred_policy_to_node_1_from_cpu_0_counts_numa_hit_and_other_node_on_node_1()
    {
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal());
        var (_, zone) = machine.Allocate(0, Kernel(policy: new MemPolicy(MemPolicyMode.Preferred, [1])));
        Assert.Equal(Node1, zone);
        Assert.Equal(new NumaEvents(1, 0, 0, 0, 0, 1), Numa(machine, 1));
        Assert.Equal(NumaEvents.Zero, Numa(machine, 0));
    }

    [Fact]
    public void Local_node_and_other_node_follow_the_allocating_cpu_not_the_preferred_node()
    {
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal());
        var toNode0 = new MemPolicy(MemPolicyMode.Preferred, [0]);
        machine.Allocate(0, Kernel(policy: toNode0));
        machine.Allocate(1, Kernel(policy: toNode0));
        machine.Allocate(2, Kernel(policy: toNode0));
        machine.Allocate(3, Kernel(policy: toNode0));
        Assert.Equal(new NumaEvents(4, 0, 0, 0, 2, 2), Numa(machine, 0));
    }

    [Fact]
    public void Interleave_over_nodes_0_and_1_alternates_and_counts_interleave_hit_on_each()
    {
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal());
        var interleave = new MemPolicy(MemPolicyMode.Interleave, [0, 1]);
        var zones = Enumerable.Range(0, 10).Select(_ => machine.Allocate(0, Kernel(policy: interleave)).Zone).ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? Node0 : Node1), zones);
        Assert.Equal(new NumaEvents(5, 0, 0, 5, 5, 0), Numa(machine, 0));
        Assert.Equal(new NumaEvents(5, 0, 0, 5, 0, 5), Numa(machine, 1));
    }

    [Fact]
    public void Interleave_that_misses_its_node_counts_no_interleave_hit()
    {
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal());
        // Node 1 below its watermarks: every interleave allocation aimed at it lands on node 0.
        while (machine.Allocate(2, Kernel(extra: Gfp.ThisNode)).Zone >= 0)
        {
        }
        var before0 = Numa(machine, 0);
        var interleave = new MemPolicy(MemPolicyMode.Interleave, [0, 1]);
        var zones = Enumerable.Range(0, 4).Select(_ => machine.Allocate(0, Kernel(policy: interleave)).Zone).ToList();
        Assert.All(zones, z => Assert.Equal(Node0, z));
        var after0 = Numa(machine, 0);
        Assert.Equal(2, after0.InterleaveHit - before0.InterleaveHit);
        Assert.Equal(2, after0.Hit - before0.Hit);
        Assert.Equal(2, after0.Miss - before0.Miss);
        Assert.Equal(2, Numa(machine, 1).Foreign);
    }

    [Fact]
    public void Bind_to_node_1_never_returns_node_0_pages_and_fails_when_node_1_is_exhausted()
    {
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal());
        var bind = new MemPolicy(MemPolicyMode.Bind, [1]);
        var served = 0;
        while (true)
        {
            var (pfn, zone) = machine.Allocate(0, Kernel(policy: bind));
            if (pfn < 0)
            {
                break;
            }
            Assert.Equal(Node1, zone);
            served++;
        }
        Assert.InRange(served, 1, 8192);
        Assert.Equal(NumaEvents.Zero, Numa(machine, 0));
        // The preferred zone is the first the nodemask allows: every page is a hit on node 1.
        Assert.Equal(new NumaEvents(served, 0, 0, 0, 0, served), Numa(machine, 1));
        Assert.Equal(8192, machine.Zone(Node0).Buddy.FreePages);
    }

    [Fact]
    public void Thisnode_fails_rather_than_fall_back_to_another_node()
    {
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal());
        var served = 0;
        while (true)
        {
            var (pfn, zone) = machine.Allocate(0, Kernel(extra: Gfp.ThisNode));
            if (pfn < 0)
            {
                break;
            }
            Assert.Equal(Node0, zone);
            served++;
        }
        Assert.True(served > 0);
        Assert.Equal(0, Numa(machine, 0).Miss + Numa(machine, 1).Miss);
        Assert.Equal(8192, machine.Zone(Node1).Buddy.FreePages);
        // Without __GFP_THISNODE the same request falls back to node 1.
        Assert.Equal(Node1, machine.Allocate(0, Kernel()).Zone);
    }

    [Fact]
    public void Each_allocation_is_counted_once_whatever_its_order()
    {
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal());
        int[] orders = [0, 1, 2, 3, 4, 9, 10];
        foreach (var order in orders)
        {
            Assert.Equal(Node0, machine.Allocate(0, Kernel(order)).Zone);
        }
        Assert.Equal(new NumaEvents(orders.Length, 0, 0, 0, orders.Length, 0), Numa(machine, 0));
    }

    [Fact]
    public void Gfp_dma_allocations_come_only_from_the_dma_zone()
    {
        var machine = new PageAllocatorMachine(Machines.OneNodeThreeZones());
        var dma = ZoneIndex.Of(0, ZoneType.Dma);
        var served = 0;
        while (true)
        {
            var (pfn, zone) = machine.Allocate(0, Kernel(extra: Gfp.Dma));
            if (pfn < 0)
            {
                break;
            }
            Assert.Equal(dma, zone);
            served++;
        }
        Assert.InRange(served, 1, 3840);
        Assert.Equal(16384, machine.Zone(ZoneIndex.Of(0, ZoneType.Dma32)).Buddy.FreePages);
        Assert.Equal(16384, machine.Zone(ZoneIndex.Of(0, ZoneType.Normal)).Buddy.FreePages);
        Assert.Equal(ZoneIndex.Of(0, ZoneType.Normal), machine.Allocate(0, Kernel()).Zone);
    }

    [Fact]
    public void Gfp_dma32_allocations_use_dma32_then_dma_and_never_normal()
    {
        var machine = new PageAllocatorMachine(Machines.OneNodeThreeZones());
        var dma = ZoneIndex.Of(0, ZoneType.Dma);
        var dma32 = ZoneIndex.Of(0, ZoneType.Dma32);
        var zones = new List<int>();
        while (true)
        {
            var (pfn, zone) = machine.Allocate(0, Kernel(extra: Gfp.Dma32));
            if (pfn < 0)
            {
                break;
            }
            zones.Add(zone);
        }
        Assert.All(zones, z => Assert.True(z == dma32 || z == dma, $"GFP_DMA32 got zone {ZoneIndex.Type(z)}"));
        var firstDma = zones.IndexOf(dma);
        Assert.True(firstDma > 0, "DMA is used once DMA32 is short");
        Assert.All(zones.Take(firstDma), z => Assert.Equal(dma32, z));
        Assert.Equal(16384, machine.Zone(ZoneIndex.Of(0, ZoneType.Normal)).Buddy.FreePages);
    }

    [Fact]
    public void Gfp_kernel_prefers_normal_over_dma32_and_dma()
    {
        var machine = new PageAllocatorMachine(Machines.OneNodeThreeZones());
        Assert.Equal(ZoneIndex.Of(0, ZoneType.Normal), machine.Allocate(0, Kernel()).Zone);
        Assert.Equal(ZoneIndex.Of(0, ZoneType.Dma32), machine.Allocate(0, Kernel(extra: Gfp.Dma32)).Zone);
        Assert.Equal(ZoneIndex.Of(0, ZoneType.Dma), machine.Allocate(0, Kernel(extra: Gfp.Dma)).Zone);
    }
}
