using Akka.Actor;
using Akka.TestKit.Xunit2;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Zones;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;

namespace NumaSim.Actors.Tests;

public sealed class ZoneActorTests : TestKit
{
    private static readonly LatencyModel Latency = LatencyModel.Default;

    private (IActorRef Zone, Akka.TestKit.TestProbe Cpu0, Akka.TestKit.TestProbe Cpu1) StartZone(long managedPages)
    {
        var setup = new PageAllocatorSetup(TestMachines.TwoNodes(managedPages));
        var zone = Sys.ActorOf(ZoneActor.Props(setup.Zone(TestMachines.Node0Normal), setup.Topology, Latency));
        var cpu0 = CreateTestProbe();
        var cpu1 = CreateTestProbe();
        zone.Tell(new Wire(new Dictionary<int, IActorRef> { [ComponentIds.Cpu(0)] = cpu0.Ref, [ComponentIds.Cpu(2)] = cpu1.Ref }));
        return (zone, cpu0, cpu1);
    }

    private static EventBatch Request(int cpu, long time, long sequence, ZoneRequest request) =>
        new([new SimEnvelope(ComponentIds.Zone(request.Zone), new SimEventKey(time, ComponentIds.Cpu(cpu), sequence), new ZoneAllocRequest(cpu, request, ComponentIds.Cpu(cpu)))]);

    [Fact]
    public void Zone_above_its_low_watermark_serves_a_refill_and_answers_after_the_modeled_latency()
    {
        var (zone, cpu0, _) = StartZone(16384);
        zone.Tell(Request(0, 1000, 0, TestMachines.OrderZero(TestMachines.Node0Normal, 7)));
        zone.Tell(new RunWindow(1100, []));
        var done = ExpectMsg<ComponentDone>();
        var reply = cpu0.ExpectMsg<EventBatch>().Events.Single();
        var payload = Assert.IsType<ZoneAllocReply>(reply.Payload);
        Assert.Equal(7, payload.Pfns.Length);
        Assert.Equal(1000 + 7 * Latency.BuddyOpNs + Latency.ZoneMessage(10), reply.Key.Time);
        Assert.Equal([(ComponentIds.Cpu(0), reply.Key.Time)], done.Sent);
        Assert.Equal(long.MaxValue, done.NextEventTime);
    }

    [Fact]
    public void Zone_below_its_watermark_refuses_and_an_atomic_request_may_dip_into_the_reserve()
    {
        // 600 managed pages: min is a few dozen pages; ask for more than free - min in one refill.
        var (zone, cpu0, _) = StartZone(600);
        var setup = new PageAllocatorSetup(TestMachines.TwoNodes(600)).Zone(TestMachines.Node0Normal);
        var take = (int)(600 - setup.Watermarks.Low);
        zone.Tell(Request(0, 0, 0, TestMachines.OrderZero(TestMachines.Node0Normal, take)));
        zone.Tell(Request(0, 0, 1, TestMachines.OrderZero(TestMachines.Node0Normal, 1)));
        zone.Tell(Request(0, 0, 2, TestMachines.OrderZero(TestMachines.Node0Normal, 1, AllocFlagsFor.SlowPath(Gfp.Atomic, 0))));
        zone.Tell(new RunWindow(100, []));
        ExpectMsg<ComponentDone>();
        var replies = cpu0.ExpectMsg<EventBatch>().Events.Select(e => ((ZoneAllocReply)e.Payload).Pfns.Length).ToList();
        Assert.Equal([take, 0, 1], replies);
    }

    [Fact]
    public void Requests_of_the_same_time_are_served_in_source_order_whatever_order_they_arrive_in()
    {
        long[] FirstPfns(bool reversed)
        {
            var (zone, cpu0, cpu2) = StartZone(16384);
            var a = Request(0, 500, 0, TestMachines.OrderZero(TestMachines.Node0Normal, 1));
            var b = Request(2, 500, 0, TestMachines.OrderZero(TestMachines.Node0Normal, 1));
            zone.Tell(reversed ? b : a);
            zone.Tell(reversed ? a : b);
            zone.Tell(new RunWindow(600, []));
            ExpectMsg<ComponentDone>();
            var p0 = ((ZoneAllocReply)cpu0.ExpectMsg<EventBatch>().Events.Single().Payload).Pfns[0];
            var p2 = ((ZoneAllocReply)cpu2.ExpectMsg<EventBatch>().Events.Single().Payload).Pfns[0];
            return [p0, p2];
        }

        var inOrder = FirstPfns(false);
        Assert.Equal(inOrder, FirstPfns(true));
        Assert.True(inOrder[0] < inOrder[1], "CPU 0 (lower source id) is served first and gets the lower PFN");
    }

    [Fact]
    public void Events_at_or_after_the_window_end_wait_for_a_later_window()
    {
        var (zone, cpu0, _) = StartZone(16384);
        zone.Tell(Request(0, 2000, 0, TestMachines.OrderZero(TestMachines.Node0Normal, 1)));
        zone.Tell(new RunWindow(2000, []));
        Assert.Equal(2000, ExpectMsg<ComponentDone>().NextEventTime);
        cpu0.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
