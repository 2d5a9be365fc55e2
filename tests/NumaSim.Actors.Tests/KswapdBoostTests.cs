using Akka.Actor;
using Akka.TestKit.Xunit2;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Reclaim;
using NumaSim.Actors.Zones;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Actors.Tests;

/// <summary>
/// The watermark boost between the actors: a zone whose fallback boosted it wakes its node's kswapd (rmqueue's
/// wakeup_kswapd), and kswapd, woken for a boost its window-old view does not show yet, runs balance_pgdat, tells
/// the zone ZONE_RECLAIM_ACTIVE for the run and takes the boost back at its end.
/// </summary>
public sealed class KswapdBoostTests : TestKit
{
    private static readonly LatencyModel Latency = LatencyModel.Default;
    private static readonly int Zone0 = TestMachines.Node0Normal;

    private static EventBatch At(int destination, long time, int source, ISimPayload payload) =>
        new([new SimEnvelope(destination, new SimEventKey(time, source, 0), payload)]);

    [Fact]
    public void A_fallback_below_pageblock_order_wakes_the_nodes_kswapd_for_order_0_and_the_zone()
    {
        var setup = new PageAllocatorSetup(TestMachines.TwoNodes(16384));
        var zone = Sys.ActorOf(ZoneActor.Props(setup.Zone(Zone0), setup.Topology, Latency));
        var cpu = CreateTestProbe();
        var kswapd = CreateTestProbe();
        zone.Tell(new Wire(new Dictionary<int, IActorRef> { [ComponentIds.Cpu(0)] = cpu.Ref, [ComponentIds.Kswapd(0)] = kswapd.Ref }));
        // Movable pages until only 32 more than a GFP_ATOMIC request's min are left, all in pieces of the last
        // order-10 block (none of pageblock order); then an atomic unmovable page must come from a Movable block
        // below pageblock order.
        var min = setup.Zone(Zone0).Watermarks.Min;
        var atomicMin = min - min / 2;
        var keep = atomicMin - atomicMin / 4 + 32;
        Assert.True(keep < 512, $"min {min}");
        var movable = new ZoneRequest(Zone0, 0, MigrateType.Movable, (int)(16384 - keep), AllocFlagsFor.FastPath(Gfp.HighUserMovable), (int)ZoneType.Normal);
        zone.Tell(At(Zone0, 100, ComponentIds.Cpu(0), new ZoneAllocRequest(0, movable, ComponentIds.Cpu(0))));
        zone.Tell(At(Zone0, 200, ComponentIds.Cpu(0), new ZoneAllocRequest(0, TestMachines.OrderZero(Zone0, 1, AllocFlagsFor.SlowPath(Gfp.Atomic, 0)), ComponentIds.Cpu(0))));
        zone.Tell(new RunWindow(10_000, []));

        var done = ExpectMsg<ComponentDone>();
        var wake = kswapd.ExpectMsg<EventBatch>().Events.Single();
        Assert.Equal(new KswapdWake(0, (int)ZoneType.Normal, Zone0, 512), wake.Payload);
        Assert.Equal(512, done.View!.Value.WatermarkBoost);
        Assert.Equal(2, cpu.ExpectMsg<EventBatch>().Events.Count);
    }

    [Fact]
    public void Kswapd_woken_for_a_boost_runs_flags_the_zone_and_takes_the_boost_back()
    {
        var setup = new PageAllocatorSetup(TestMachines.TwoNodes(16384));
        var kswapd = Sys.ActorOf(KswapdActor.Props(0, setup, Latency, 60, 0, false, false, false));
        var zone = CreateTestProbe();
        kswapd.Tell(new Wire(new Dictionary<int, IActorRef> { [ComponentIds.Zone(Zone0)] = zone.Ref }));
        // The window-old view: plenty free (balanced) and no boost yet; only the wake knows of it.
        var views = new ZoneFreeView[setup.ZoneSlots];
        views[Zone0] = new ZoneFreeView(15000, 1 << 10, 0, 0);
        kswapd.Tell(At(ComponentIds.Kswapd(0), 1000, Zone0, new KswapdWake(0, (int)ZoneType.Normal, Zone0, 512)));
        kswapd.Tell(new RunWindow(2000, views));

        ExpectMsg<ComponentDone>();
        var sent = zone.ExpectMsg<EventBatch>().Events.Select(e => e.Payload).ToList();
        Assert.Equal<ISimPayload>([new ZoneReclaimActive(true), new ZoneWatermarkBoostCleared(512), new ZoneReclaimActive(false)], sent);

        kswapd.Tell(CollectState.Instance);
        var state = ExpectMsg<ReclaimState>();
        Assert.Equal(1, state.Events[VmEventItem.Pageoutrun]);
        Assert.Equal(0, state.Events[VmEventItem.PgscanKswapd]);
    }

    [Fact]
    public void A_wake_without_a_boost_leaves_a_balanced_node_asleep()
    {
        var setup = new PageAllocatorSetup(TestMachines.TwoNodes(16384));
        var kswapd = Sys.ActorOf(KswapdActor.Props(0, setup, Latency, 60, 0, false, false, false));
        var zone = CreateTestProbe();
        kswapd.Tell(new Wire(new Dictionary<int, IActorRef> { [ComponentIds.Zone(Zone0)] = zone.Ref }));
        var views = new ZoneFreeView[setup.ZoneSlots];
        views[Zone0] = new ZoneFreeView(15000, 1 << 10, 0, 0);
        kswapd.Tell(At(ComponentIds.Kswapd(0), 1000, ComponentIds.Cpu(0), new KswapdWake(0, (int)ZoneType.Normal)));
        kswapd.Tell(new RunWindow(2000, views));

        ExpectMsg<ComponentDone>();
        zone.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        kswapd.Tell(CollectState.Instance);
        Assert.Equal(0, ExpectMsg<ReclaimState>().Events[VmEventItem.Pageoutrun]);
    }
}
