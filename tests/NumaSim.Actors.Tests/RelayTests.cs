using Akka.Actor;
using Akka.TestKit.Xunit2;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Nodes;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Workloads.Config;

namespace NumaSim.Actors.Tests;

/// <summary>
/// docs/architecture.md section 2: what a node's components send to another process leaves as one
/// message per round and process, through that process's relay node, which hands each batch on.
/// </summary>
public sealed class RelayTests : TestKit
{
    // Node 0's CPUs allocate from node 1 only: their first refill asks node 1's zone, in another process here.
    private static readonly string Text = """
        numasim {
          seed = 1
          topology {
            nodes = [
              { id = 0, cpus = "0-1", memory = 64M }
              { id = 1, cpus = "2-3", memory = 64M }
            ]
            distance = [[10, 20], [20, 10]]
          }
          workload.streams = [ { cpus = "0-1", operations = 10, think-time = 100ns, policy = "bind:1",
            mix = [ { weight = 1, order = 0, gfp = "GFP_KERNEL", lifetime = forever } ] } ]
        }
        """;

    [Fact]
    public void Batches_for_another_process_leave_in_one_message_per_round_and_relayed_ones_reach_their_component()
    {
        var scenario = ScenarioLoader.LoadText("relay", Text);
        var setup = new PageAllocatorSetup(scenario.Topology);
        var node0 = Sys.ActorOf(NodeActor.Props(0, scenario, setup));
        node0.Tell(RequestReady.Instance);
        var local = ExpectMsg<NodeReady>().Components;

        // Node 1 lives in another process: its components are probes, reached only through its relay.
        var relay = CreateTestProbe();
        var elsewhere = setup.Populated.Where(z => z.Node == 1).Select(z => ComponentIds.Zone(z.Index))
            .Concat(scenario.Topology.Nodes[1].Cpus.Select(ComponentIds.Cpu)).ToDictionary(id => id, _ => CreateTestProbe());
        var routes = local.Concat(elsewhere.Select(e => KeyValuePair.Create(e.Key, e.Value.Ref))).ToDictionary();
        node0.Tell(new Wire(routes) { Relays = elsewhere.Keys.ToDictionary(id => id, _ => relay.Ref) });
        ExpectMsg<Wired>();

        var cpus = scenario.Topology.Nodes[0].Cpus.Select(ComponentIds.Cpu).ToList();
        // Every zone well above its watermarks, as the boot round would report them.
        var views = Enumerable.Repeat(new ZoneFreeView(1 << 20, (1 << 11) - 1, 0, 0), setup.ZoneSlots).ToArray();
        node0.Tell(new RunRound(cpus.ToDictionary(id => id, _ => 1_000_000L), views) { Round = 1 });
        var done = ExpectMsg<NodeDone>();
        // 64 MiB at 64 MiB: node 1's memory is one DMA32 zone.
        var remoteZoneIndex = Assert.Single(setup.Populated, z => z.Node == 1).Index;
        var remoteZone = ComponentIds.Zone(remoteZoneIndex);
        Assert.All(cpus, cpu => Assert.Contains(done.Components.Single(c => c.Component == cpu).Sent, s => s.Destination == remoteZone));

        // Both CPUs' requests in one message, each still its own batch of round 1; none went straight to the zone.
        var relayed = relay.ExpectMsg<RelayedBatches>();
        Assert.Equal(2, relayed.Batches.Count);
        Assert.All(relayed.Batches, b => Assert.Equal(1, b.Round));
        Assert.All(relayed.Batches, b => Assert.All(b.Events, e => Assert.Equal(remoteZone, e.Destination)));
        relay.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.All(elsewhere.Values, p => p.ExpectNoMsg(TimeSpan.Zero));

        // The other way: node 1's answer, relayed to node 0, reaches CPU 0, which waits for it before its next round.
        var request = relayed.Batches.SelectMany(b => b.Events).First(e => e.Key.Source == cpus[0]);
        var first = setup.Populated.Single(z => z.Node == 1).Spec.StartPfn;
        var pfns = Enumerable.Range(0, ((ZoneAllocRequest)request.Payload).Request.Count).Select(i => first + i).ToArray();
        var answer = new EventBatch([new SimEnvelope(cpus[0], new SimEventKey(request.Key.Time + 500, remoteZone, 0), new ZoneAllocReply(remoteZoneIndex, pfns))]) { Round = 2 };
        node0.Tell(new RunRound(new Dictionary<int, long> { [cpus[0]] = request.Key.Time + 1_000 }, views) { Round = 3, Expected = new Dictionary<int, long> { [cpus[0]] = 1 } });
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        node0.Tell(new RelayedBatches([answer]));
        var after = Assert.Single(ExpectMsg<NodeDone>().Components);
        Assert.Equal(0, done.Components.Single(c => c.Component == cpus[0]).Operations);
        Assert.True(after.Operations > 0, "CPU 0 did not get its pages");
    }
}
