using Akka.Actor;
using Akka.TestKit.Xunit2;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Zones;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;

namespace NumaSim.Actors.Tests;

/// <summary>docs/architecture.md section 2: a component runs a round only once it holds every batch sent to it in earlier rounds.</summary>
public sealed class BatchCountTests : TestKit
{
    private (IActorRef Zone, Akka.TestKit.TestProbe Cpu0) StartZone()
    {
        var setup = new PageAllocatorSetup(TestMachines.TwoNodes(16384));
        var zone = Sys.ActorOf(ZoneActor.Props(setup.Zone(TestMachines.Node0Normal), setup.Topology, LatencyModel.Default));
        var cpu0 = CreateTestProbe();
        zone.Tell(new Wire(new Dictionary<int, IActorRef> { [ComponentIds.Cpu(0)] = cpu0.Ref }));
        return (zone, cpu0);
    }

    private static EventBatch Request(long time, long round) =>
        new([new SimEnvelope(ComponentIds.Zone(TestMachines.Node0Normal), new SimEventKey(time, ComponentIds.Cpu(0), time), new ZoneAllocRequest(0, TestMachines.OrderZero(TestMachines.Node0Normal, 1), ComponentIds.Cpu(0)))])
        {
            Round = round,
        };

    [Fact]
    public void A_round_waits_for_a_batch_of_an_earlier_round_still_on_the_wire()
    {
        var (zone, cpu0) = StartZone();
        zone.Tell(new RunWindow(2_000, []) { Round = 4, ExpectedBatches = 1 });
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        zone.Tell(Request(1_000, round: 3));
        var done = ExpectMsg<ComponentDone>();
        Assert.Single(done.Sent);
        Assert.Single(cpu0.ExpectMsg<EventBatch>().Events);
    }

    [Fact]
    public void A_batch_of_the_current_round_does_not_stand_in_for_one_of_an_earlier_round()
    {
        var (zone, cpu0) = StartZone();
        zone.Tell(new RunWindow(2_000, []) { Round = 4, ExpectedBatches = 1 });
        // Sent in round 4 by a component running alongside: it may overtake round 3's batch.
        zone.Tell(Request(5_000, round: 4));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        zone.Tell(Request(1_000, round: 3));
        var done = ExpectMsg<ComponentDone>();
        // Only the round-3 request is due before 2000 ns; the round-4 one waits for its time.
        Assert.Equal(5_000, done.NextEventTime);
        Assert.Single(cpu0.ExpectMsg<EventBatch>().Events);
    }
}
