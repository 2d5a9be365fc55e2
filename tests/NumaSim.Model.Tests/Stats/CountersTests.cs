using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Tests.Stats;

public class CountersTests
{
    [Fact]
    public void Per_cpu_events_fold_by_item()
    {
        var cpu0 = new VmEventCounters();
        cpu0.CountAlloc(ZoneType.Dma32, 2);
        cpu0.CountFault();
        var cpu1 = new VmEventCounters();
        cpu1.CountAlloc(ZoneType.Normal, 0);
        cpu1.CountFree(3);
        cpu1.CountFault();

        var machine = Counters<VmEventItem>.Sum([cpu0.Snapshot(), cpu1.Snapshot()]);

        Assert.Equal(4, machine[VmEventItem.PgallocDma32]);
        Assert.Equal(1, machine[VmEventItem.PgallocNormal]);
        Assert.Equal(8, machine[VmEventItem.Pgfree]);
        Assert.Equal(2, machine[VmEventItem.Pgfault]);
        Assert.Equal(0, machine[VmEventItem.PgscanKswapd]);
    }

    [Fact]
    public void Node_deltas_sum_per_node_and_compare_by_value()
    {
        var cpu = new NodeStatDeltas(2);
        cpu.Add(1, NodeStatItem.NrAnonPages, 5);
        cpu.Add(1, NodeStatItem.NrAnonPages, -2);
        var slab = new NodeStatDeltas(2);
        slab.Add(0, NodeStatItem.NrSlabUnreclaimable, 7);

        var nodes = NodeStatDeltas.Sum(2, [cpu.Snapshot(), slab.Snapshot()]);

        Assert.Equal(Counters<NodeStatItem>.Of([KeyValuePair.Create(NodeStatItem.NrSlabUnreclaimable, 7L)]), nodes[0]);
        Assert.Equal(3, nodes[1][NodeStatItem.NrAnonPages]);
        Assert.NotEqual(Counters<NodeStatItem>.Zero, nodes[1]);
    }
}
