using Akka.Actor;
using NumaSim.Actors.Cpus;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Filemap;
using NumaSim.Actors.Reclaim;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Slabs;
using NumaSim.Actors.Swap;
using NumaSim.Actors.Zones;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sched;
using NumaSim.Results;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Nodes;

/// <summary>
/// One NUMA node: parent of its zones and CPUs, and its share of the clock's rounds. It fans a
/// round out to its components that have work and folds their answers into one, so the
/// coordinator talks to nodes only: the unit that a cluster member will host.
/// </summary>
public sealed class NodeActor : UntypedActor
{
    private readonly int _node;
    private readonly Dictionary<int, IActorRef> _components = [];
    private IActorRef? _roundRequester;
    private int _awaiting;
    private List<ComponentDone> _done = [];
    private readonly List<ZoneState> _zoneStates = [];
    private readonly List<CpuState> _cpuStates = [];
    private readonly List<SlabState> _slabStates = [];
    private readonly List<ReclaimState> _serviceStates = [];
    private TimelineShare _timelineTotal = TimelineShare.Zero;
    private readonly List<ZoneSample> _timelineZones = [];
    private IReadOnlyDictionary<int, IActorRef> _routes = new Dictionary<int, IActorRef>();
    private IReadOnlyDictionary<int, IActorRef> _relays = new Dictionary<int, IActorRef>();
    private readonly Dictionary<IActorRef, List<EventBatch>> _outgoing = [];

    public NodeActor(int node, Scenario scenario, PageAllocatorSetup setup)
    {
        _node = node;
        foreach (var zone in setup.Populated.Where(z => z.Node == node))
        {
            var id = ComponentIds.Zone(zone.Index);
            _components[id] = Context.ActorOf(ZoneActor.Props(
                zone, setup.Topology, scenario.Latency, scenario.UsesQuantumWindows,
                [.. scenario.Faults.Where(f => f.Hits(node, zone.Spec.Type)).Select(f => f.AtNs)],
                scenario.Sysctl.WatermarkBoostFactor), $"zone-{zone.Spec.Type.ToString().ToLowerInvariant()}");
        }
        foreach (var cpu in setup.Topology.Nodes[node].Cpus)
        {
            _components[ComponentIds.Cpu(cpu)] = Context.ActorOf(CpuActor.Props(cpu, scenario, setup), $"cpu-{cpu}");
            // The page cache's xarray nodes come from the reading CPU's slab front-end.
            if (scenario.Kernel.Active || PageCacheActor.Needed(scenario))
            {
                _components[ComponentIds.Slab(cpu)] = Context.ActorOf(SlabActor.Props(cpu, scenario, setup), $"slab-{cpu}");
            }
        }

        var sysctl = scenario.Sysctl;
        _components[ComponentIds.Kswapd(node)] = Context.ActorOf(
            KswapdActor.Props(node, setup, scenario.Latency, sysctl.Swappiness, sysctl.ZoneReclaimMode, sysctl.DemotionEnabled,
                ((NumaBalancingMode)sysctl.NumaBalancing).HasFlag(NumaBalancingMode.MemoryTiering), scenario.UsesQuantumWindows,
                KswapdCpu.Shared(scenario, setup.Topology, node) >= 0), "kswapd");
        if (ComponentIds.NodeOfService(ComponentIds.PageCache, setup.Topology) == node && PageCacheActor.Needed(scenario))
        {
            _components[ComponentIds.PageCache] = Context.ActorOf(PageCacheActor.Props(scenario), "page-cache");
        }
        if (ComponentIds.NodeOfService(ComponentIds.OomKiller, setup.Topology) == node && OomKillerActor.Needed(scenario))
        {
            _components[ComponentIds.OomKiller] = Context.ActorOf(OomKillerActor.Props(setup, scenario.Latency, scenario.UsesQuantumWindows), "oom-killer");
        }
        if (ComponentIds.NodeOfService(ComponentIds.Swap, setup.Topology) == node && SwapActor.Needed(scenario))
        {
            _components[ComponentIds.Swap] = Context.ActorOf(SwapActor.Props(scenario), "swap");
        }
    }

    public static Props Props(int node, Scenario scenario, PageAllocatorSetup setup) =>
        Akka.Actor.Props.Create(() => new NodeActor(node, scenario, setup));

    // A plain switch, not ReceiveActor's handlers: a node passes on every window and answer of its components.
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case RequestReady:
                Sender.Tell(new NodeReady(_node, _components));
                break;
            case Wire wire:
                Learn(wire);
                break;
            case EventBatch batch:
                Hold(batch);
                break;
            case RelayedBatches relayed:
                Deliver(relayed);
                break;
            case RunRound round:
                Run(round);
                break;
            case ComponentDone done:
                Done(done);
                break;
            case CollectState:
                CollectStates();
                break;
            case CollectTimeline:
                CollectTimelines();
                break;
            case TimelineShare share:
                AddShare(share);
                break;
            case ZoneState z:
                _zoneStates.Add(z);
                Collected();
                break;
            case CpuState c:
                _cpuStates.Add(c);
                Collected();
                break;
            case SlabState s:
                _slabStates.Add(s);
                Collected();
                break;
            case ReclaimState s:
                _serviceStates.Add(s);
                Collected();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>Every component's address: the node's components learn them (those in another process through this node).</summary>
    private void Learn(Wire wire)
    {
        _routes = wire.Routes;
        _relays = wire.Relays;
        var forComponents = wire;
        if (_relays.Count > 0)
        {
            // What is for another process goes through this node, which sends a round's worth on in one message.
            var routes = new Dictionary<int, IActorRef>(wire.Routes);
            foreach (var id in _relays.Keys)
            {
                routes[id] = Self;
            }
            forComponents = wire with { Routes = routes, Relays = new Dictionary<int, IActorRef>() };
        }
        foreach (var component in _components.Values)
        {
            component.Tell(forComponents);
        }
        Sender.Tell(new Wired(_node));
    }

    /// <summary>A component's batch for another process; it arrives before that component's ComponentDone.</summary>
    private void Hold(EventBatch batch)
    {
        var relay = _relays[batch.Events[0].Destination];
        if (!_outgoing.TryGetValue(relay, out var batches))
        {
            _outgoing[relay] = batches = [];
        }
        batches.Add(batch);
    }

    /// <summary>Batches another process's node sent on for this node's components.</summary>
    private void Deliver(RelayedBatches relayed)
    {
        foreach (var batch in relayed.Batches)
        {
            _routes[batch.Events[0].Destination].Tell(batch);
        }
    }

    /// <summary>A round: a window for each component with work.</summary>
    private void Run(RunRound round)
    {
        _roundRequester = Sender;
        _awaiting = round.Until.Count;
        _done = new List<ComponentDone>(round.Until.Count);
        foreach (var (component, until) in round.Until)
        {
            _components[component].Tell(new RunWindow(until, round.Views)
            {
                ExpectedBatches = round.Expected.GetValueOrDefault(component),
                Round = round.Round,
                Beyond = round.Beyond.GetValueOrDefault(component),
                SelfChain = round.SelfChain,
            });
        }
    }

    /// <summary>A component's answer; with every one, the node's answer (and the batches for other processes).</summary>
    private void Done(ComponentDone done)
    {
        _done.Add(done);
        if (--_awaiting == 0)
        {
            _done.Sort((a, b) => a.Component.CompareTo(b.Component));
            foreach (var (relay, batches) in _outgoing)
            {
                relay.Tell(new RelayedBatches(batches));
            }
            _outgoing.Clear();
            _roundRequester!.Tell(new NodeDone(_node, _done));
        }
    }

    /// <summary>Every component's state, for the coordinator.</summary>
    private void CollectStates()
    {
        _roundRequester = Sender;
        _awaiting = _components.Count;
        _zoneStates.Clear();
        _cpuStates.Clear();
        _slabStates.Clear();
        _serviceStates.Clear();
        foreach (var component in _components.Values)
        {
            component.Tell(CollectState.Instance);
        }
    }

    /// <summary>Every component's few counters for a timeline sample.</summary>
    private void CollectTimelines()
    {
        _roundRequester = Sender;
        _awaiting = _components.Count;
        _timelineTotal = TimelineShare.Zero;
        _timelineZones.Clear();
        foreach (var component in _components.Values)
        {
            component.Tell(CollectTimeline.Instance);
        }
    }

    /// <summary>A component's counters, summed into the node's; zones' apart.</summary>
    private void AddShare(TimelineShare share)
    {
        if (share.Zone is { } zone)
        {
            _timelineZones.Add(zone);
        }
        else
        {
            _timelineTotal = _timelineTotal.Plus(share);
        }
        if (--_awaiting == 0)
        {
            _roundRequester!.Tell(new NodeTimeline(_node, _timelineTotal, [.. _timelineZones.OrderBy(z => z.Type)]));
        }
    }

    /// <summary>One component's state is in; with every one, the node's state.</summary>
    private void Collected()
    {
        if (--_awaiting == 0)
        {
            _roundRequester!.Tell(new NodeState(
                _node,
                [.. _zoneStates.OrderBy(z => z.Snapshot.Type)],
                [.. _cpuStates.OrderBy(c => c.Report.Cpu)])
            {
                Slabs = [.. _slabStates.OrderBy(s => s.Cpu)],
                Services = [.. _serviceStates.OrderBy(s => s.Component)],
            });
        }
    }
}

/// <summary>Asks a node for its <see cref="NodeReady"/>.</summary>
public sealed record RequestReady : ISimMessage
{
    public static RequestReady Instance { get; } = new();
}
