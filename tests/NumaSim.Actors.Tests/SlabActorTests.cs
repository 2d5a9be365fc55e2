using Akka.Actor;
using Akka.TestKit.Xunit2;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Slabs;
using NumaSim.Model.Kernel;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Model.Stats;
using NumaSim.Workloads.Kernel;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Tests;

public sealed class SlabActorTests : TestKit
{
    private static readonly LatencyModel Latency = LatencyModel.Default;

    private static Scenario WithScript(PageAllocatorSetup setup, params ScriptStep[] script) =>
        new("slab-test", 1, setup.Topology, Latency, 0, 0, []) { Kernel = new KernelWorkload([], [], script, "slub", null) };

    private static ZoneFreeView[] Views(PageAllocatorSetup setup)
    {
        var views = new ZoneFreeView[setup.ZoneSlots];
        foreach (var zone in setup.Populated)
        {
            views[zone.Index] = new ZoneFreeView(zone.Spec.Managed, 1 << 10, 0, 0);
        }
        return views;
    }

    [Fact]
    public void A_kmalloc_that_needs_a_slab_waits_for_the_local_zone_then_completes_and_the_next_one_needs_no_message()
    {
        var setup = new PageAllocatorSetup(TestMachines.TwoNodes());
        var zone = CreateTestProbe();
        var slab = Sys.ActorOf(SlabActor.Props(0, WithScript(setup,
            new ScriptStep(0, 0, KernelOp.Kmalloc) { Object = "a", Size = 100 },
            new ScriptStep(0, 0, KernelOp.Kmalloc) { Object = "b", Size = 100 }), setup));
        slab.Tell(new Wire(new Dictionary<int, IActorRef> { [ComponentIds.Zone(TestMachines.Node0Normal)] = zone.Ref }));

        slab.Tell(new RunWindow(Latency.Lookahead, Views(setup)));
        var waiting = ExpectMsg<ComponentDone>();
        Assert.True(waiting.Blocked);
        Assert.False(waiting.WorkloadFinished);
        var ask = zone.ExpectMsg<EventBatch>().Events.Single();
        var request = Assert.IsType<ZoneAllocRequest>(ask.Payload);
        Assert.Equal(ComponentIds.Slab(0), request.ReplyTo);
        Assert.Equal(0, request.Request.Order); // kmalloc-128 slabs are order 0

        var pfns = Enumerable.Range(0, request.Request.Count).Select(i => (1L << 20) + i).ToArray();
        slab.Tell(new EventBatch([new SimEnvelope(ComponentIds.Slab(0), new SimEventKey(500, ComponentIds.Zone(TestMachines.Node0Normal), 0), new ZoneAllocReply(TestMachines.Node0Normal, pfns))]));
        slab.Tell(new RunWindow(10_000, Views(setup)));
        var done = ExpectMsg<ComponentDone>();
        Assert.True(done.WorkloadFinished);
        Assert.Equal(2, done.Operations);
        zone.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        slab.Tell(CollectState.Instance);
        var state = ExpectMsg<SlabState>();
        var row = state.Caches.Single(c => c.Name == "kmalloc-128");
        Assert.Equal(32, row.NumObjects);
        Assert.Equal(1, state.NodeStats[0][NodeStatItem.NrSlabUnreclaimable]);
        Assert.Equal(2, state.Totals.Allocations);
        Assert.Equal(1, state.Latency.Stats()["kmalloc_new_pages"].Count);
        Assert.Equal(1, state.Latency.Stats()["kmalloc"].Count);
    }

    [Fact]
    public void A_gfp_kernel_allocation_in_hard_interrupt_context_is_reported_once()
    {
        var setup = new PageAllocatorSetup(TestMachines.TwoNodes());
        var slab = Sys.ActorOf(SlabActor.Props(0, WithScript(setup,
            new ScriptStep(0, 0, KernelOp.Context) { Context = CpuContext.Hardirq },
            new ScriptStep(1, 0, KernelOp.Kmalloc) { Object = "a", Size = 16, Gfp = Gfp.Atomic },
            new ScriptStep(2, 0, KernelOp.Kmalloc) { Object = "b", Size = 16, Gfp = Gfp.Kernel },
            new ScriptStep(3, 0, KernelOp.Kmalloc) { Object = "c", Size = 16, Gfp = Gfp.Kernel }), setup));
        var zone = CreateTestProbe();
        slab.Tell(new Wire(new Dictionary<int, IActorRef> { [ComponentIds.Zone(TestMachines.Node0Normal)] = zone.Ref }));
        slab.Tell(new RunWindow(Latency.Lookahead, Views(setup)));
        ExpectMsg<ComponentDone>();
        var request = (ZoneAllocRequest)zone.ExpectMsg<EventBatch>().Events.Single().Payload;
        var pfns = Enumerable.Range(0, request.Request.Count).Select(i => (1L << 20) + i).ToArray();
        slab.Tell(new EventBatch([new SimEnvelope(ComponentIds.Slab(0), new SimEventKey(500, ComponentIds.Zone(TestMachines.Node0Normal), 0), new ZoneAllocReply(TestMachines.Node0Normal, pfns))]));
        slab.Tell(new RunWindow(10_000, Views(setup)));
        Assert.True(ExpectMsg<ComponentDone>().WorkloadFinished);

        slab.Tell(CollectState.Instance);
        var state = ExpectMsg<SlabState>();
        // GFP_ATOMIC may be used there; both GFP_KERNEL calls are wrong, and the second falls in might_sleep's one-second limit.
        Assert.Equal(2, state.Totals.SleepingInAtomic);
        var error = Assert.Single(state.Errors);
        Assert.Equal("sleeping_in_atomic", error.Kind);
        Assert.StartsWith("BUG: sleeping function called from invalid context", error.Message, StringComparison.Ordinal);
    }
}
