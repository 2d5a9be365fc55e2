using Akka.Actor;
using Akka.TestKit.Xunit2;
using NumaSim.Actors.Cpus;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Tests;

public sealed class CpuActorTests : TestKit
{
    private static readonly LatencyModel Latency = LatencyModel.Default;

    private static WorkloadStream Stream(long operations, long? lifetime) =>
        new([0], operations, 0, MemPolicy.Default, [new AllocationKind(1, 0, Gfp.Kernel, lifetime)]);

    private static Scenario Scenario(PageAllocatorSetup setup, WorkloadStream stream) =>
        new("cpu-test", 1, setup.Topology, Latency, 0, 0, [stream]);

    private ZoneFreeView[] Views(PageAllocatorSetup setup)
    {
        var views = new ZoneFreeView[setup.ZoneSlots];
        foreach (var zone in setup.Populated)
        {
            views[zone.Index] = new ZoneFreeView(zone.Spec.Managed, 1 << 10, 0, 0);
        }
        return views;
    }

    [Fact]
    public void An_empty_per_cpu_list_is_refilled_by_one_batch_from_the_local_zone_and_then_serves_without_messages()
    {
        var setup = new PageAllocatorSetup(TestMachines.TwoNodes());
        var zone = CreateTestProbe();
        var cpu = Sys.ActorOf(CpuActor.Props(0, Scenario(setup, Stream(3, null)), setup));
        cpu.Tell(new Wire(new Dictionary<int, IActorRef> { [ComponentIds.Zone(TestMachines.Node0Normal)] = zone.Ref }));

        cpu.Tell(new RunWindow(Latency.Lookahead, Views(setup)));
        ExpectMsg<ComponentDone>();
        var ask = zone.ExpectMsg<EventBatch>().Events.Single();
        var request = Assert.IsType<ZoneAllocRequest>(ask.Payload).Request;
        Assert.Equal(setup.Zone(TestMachines.Node0Normal).PcpBatch, request.Count);
        Assert.Equal(Latency.PcpAllocNs + Latency.ZoneMessage(10), ask.Key.Time);

        var pfns = Enumerable.Range(0, request.Count).Select(i => (1L << 20) + i).ToArray();
        cpu.Tell(new EventBatch([new SimEnvelope(ComponentIds.Cpu(0), new SimEventKey(400, ComponentIds.Zone(TestMachines.Node0Normal), 0), new ZoneAllocReply(TestMachines.Node0Normal, pfns))]));
        cpu.Tell(new RunWindow(10_000, Views(setup)));
        var done = ExpectMsg<ComponentDone>();
        Assert.True(done.WorkloadFinished);
        Assert.Equal(3, done.Operations);
        zone.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Freeing_above_high_drains_a_batch_back_to_the_zone()
    {
        // Every block lives long enough that the frees come after all allocations: the list then fills past high.
        var setup = new PageAllocatorSetup(TestMachines.TwoNodes(4096));
        var zoneSetup = setup.Zone(TestMachines.Node0Normal);
        var zone = CreateTestProbe();
        var operations = 2 * zoneSetup.PcpHighMax + zoneSetup.PcpBatch;
        var cpu = Sys.ActorOf(CpuActor.Props(0, Scenario(setup, Stream(operations, 1_000_000)), setup));
        cpu.Tell(new Wire(new Dictionary<int, IActorRef> { [ComponentIds.Zone(TestMachines.Node0Normal)] = zone.Ref }));

        long time = 0;
        var next = 1L << 20;
        var drained = 0;
        var asks = 0;
        var windows = 0;
        for (var window = 0; window < 10_000 && drained == 0; window++)
        {
            cpu.Tell(new RunWindow(time + Latency.Lookahead, Views(setup)));
            var done = ExpectMsg<ComponentDone>();
            windows++;
            time = done.NextEventTime;
            zone.ReceiveWhile(TimeSpan.FromMilliseconds(20), m => (EventBatch)m).SelectMany(b => b.Events).ToList().ForEach(e =>
            {
                switch (e.Payload)
                {
                    case ZoneAllocRequest ask:
                        asks++;
                        var pfns = Enumerable.Range(0, ask.Request.Count).Select(i => next++).ToArray();
                        cpu.Tell(new EventBatch([new SimEnvelope(ComponentIds.Cpu(0), new SimEventKey(e.Key.Time + 200, ComponentIds.Zone(TestMachines.Node0Normal), window), new ZoneAllocReply(TestMachines.Node0Normal, pfns))]));
                        time = Math.Min(time, e.Key.Time + 200);
                        break;
                    case ZoneFreeBlocks free:
                        drained += free.Blocks.Length;
                        break;
                }
            });
            if (time == long.MaxValue)
            {
                break;
            }
        }
        Assert.True(drained >= zoneSetup.PcpBatch, $"expected a drain of at least one batch ({zoneSetup.PcpBatch}), saw {drained} after {asks} refills in {windows} windows, t={time}");
    }
}
