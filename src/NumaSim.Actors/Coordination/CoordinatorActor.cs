using System.Diagnostics;
using Akka.Actor;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Filemap;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Nodes;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Coordination;

/// <summary>
/// The simulation clock, as explicit states (docs/architecture.md section 2): idle (<see cref="OnReceive"/>) until
/// <see cref="StartSimulation"/>, <see cref="Readying"/> while the nodes report their components,
/// <see cref="Wiring"/> while they learn every address, then rounds: <see cref="Running"/> while the nodes run
/// a round, and <see cref="BetweenRounds"/> while every component is idle and the coordinator looks at the
/// machine (the report's timeline, live metrics and slabinfo, a pause, the end) before the next round starts.
/// Each state holds its own data; what lives across rounds is in <see cref="RunClock"/>. The first round runs
/// nothing: it boots every zone and collects the zones' free counts.
/// </summary>
public sealed partial class CoordinatorActor : UntypedActor
{
    private readonly Scenario _scenario;
    private readonly Action<SimProgress>? _progress;
    private readonly SlabinfoFeed? _liveSlabs;
    private readonly RunObservers? _observers;
    private readonly Func<SimulationOutcome, SimulationResult>? _fold;
    private readonly Dictionary<int, IActorRef> _nodes = [];
    private readonly int _zoneSlots;
    // In one process a batch is in its receiver's mailbox before its sender answers (rule 3 holds
    // by itself); only nodes hosted in other processes need the counts.
    private readonly bool _countBatches;
    private readonly Stopwatch _wall = new();
    private readonly long _epochTicks = DateTime.UtcNow.Ticks;
    private string? _stopRequested;

    /// <param name="hostedNodes">NodeActors hosted elsewhere (cluster members); null creates every node as a child.</param>
    public CoordinatorActor(
        Scenario scenario,
        PageAllocatorSetup setup,
        Action<SimProgress>? progress,
        SlabinfoFeed? liveSlabs = null,
        IReadOnlyDictionary<int, IActorRef>? hostedNodes = null,
        RunObservers? observers = null,
        Func<SimulationOutcome, SimulationResult>? fold = null)
    {
        _scenario = scenario;
        _progress = progress;
        _observers = fold is null ? null : observers;
        _fold = fold;
        _liveSlabs = scenario.Kernel.Active ? liveSlabs : null;
        _zoneSlots = setup.ZoneSlots;
        _countBatches = hostedNodes is not null;
        foreach (var node in scenario.Topology.Nodes)
        {
            _nodes[node.Id] = hostedNodes is not null ? hostedNodes[node.Id] : Context.ActorOf(NodeActor.Props(node.Id, scenario, setup), $"node-{node.Id}");
        }
    }

    public static Props Props(
        Scenario scenario,
        PageAllocatorSetup setup,
        Action<SimProgress>? progress,
        SlabinfoFeed? liveSlabs = null,
        IReadOnlyDictionary<int, IActorRef>? hostedNodes = null,
        RunObservers? observers = null,
        Func<SimulationOutcome, SimulationResult>? fold = null) =>
        Akka.Actor.Props.Create(() => new CoordinatorActor(scenario, setup, progress, liveSlabs, hostedNodes, observers, fold));

    /// <summary>
    /// Created, waiting for the caller to start the run. Every state is a plain receive function, not ReceiveActor's
    /// handlers: building those for a state (expression trees, the match compiler's generic types) cost more than a
    /// round, and the waiting state is entered at least once a round.
    /// </summary>
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case StopSimulation stop:
                Stop(stop);
                break;
            case StartSimulation start:
                var caller = new Caller(Sender, start.Pause);
                _wall.Start();
                TellNodes(RequestReady.Instance);
                Readying(caller);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>Every node reports its components' addresses; with all of them, the nodes are wired.</summary>
    private void Readying(Caller caller) =>
        Await<NodeReady>(_nodes.Count, ready =>
        {
            var routes = ready.SelectMany(r => r.Components).ToDictionary(kv => kv.Key, kv => kv.Value);
            var run = new RunClock(CreatePlanner(routes), routes, _zoneSlots, caller);
            var wire = new Wire(routes) { Observed = _scenario.Observed, EpochTicks = _epochTicks, LatencyByNodePair = _observers?.LatencyByNodePair == true };
            var relays = _countBatches ? Relays(routes) : null;
            foreach (var (node, actor) in _nodes)
            {
                actor.Tell(relays is null ? wire : wire with { Relays = relays(node) });
            }
            Wiring(run);
        });

    /// <summary>Every node has its routes; then the boot round: every component runs to time 0 (nothing) and reports.</summary>
    private void Wiring(RunClock run) =>
        Await<Wired>(_nodes.Count, _ => StartRound(run, run.Routes.Keys.ToDictionary(id => id, _ => 0L)));

    /// <summary>A paused run: its state went to the caller; the plan of the next round waits for <see cref="ContinueSimulation"/>.</summary>
    private void Paused(RunClock run, IReadOnlyDictionary<int, long> plan) =>
        Context.Become(message =>
        {
            switch (message)
            {
                case StopSimulation stop:
                    Stop(stop);
                    return true;
                case ContinueSimulation go:
                    run.Continue(new Caller(Sender, go.Pause));
                    StartRound(run, run.Clamp(plan, _scenario.MaxTimeNs));
                    return true;
                default:
                    return false;
            }
        });

    // A stop (Ctrl-C, SIGTERM) may come in any state; it takes effect after the round in flight.
    private void Stop(StopSimulation stop) => _stopRequested ??= stop.Reason;

    /// <summary>The run is over and its outcome went to the caller; nothing more happens.</summary>
    private static void Ended() => Context.Become(_ => false);

    /// <summary>
    /// A state that waits for <paramref name="expected"/> answers of one kind (every node's, every slab front-end's)
    /// and hands them to <paramref name="then"/>, which chooses the next state.
    /// </summary>
    private void Await<TAnswer>(int expected, Action<List<TAnswer>> then)
    {
        var answers = new List<TAnswer>(expected);
        if (expected == 0)
        {
            then(answers);
            return;
        }
        Context.Become(message =>
        {
            switch (message)
            {
                case StopSimulation stop:
                    Stop(stop);
                    return true;
                case TAnswer answer:
                    answers.Add(answer);
                    if (answers.Count == expected)
                    {
                        then(answers);
                    }
                    return true;
                default:
                    return false;
            }
        });
    }

    private HorizonPlanner CreatePlanner(IReadOnlyDictionary<int, IActorRef> routes)
    {
        var latency = _scenario.Latency;
        var cpuToCpu = _scenario.CpusTalkToEachOther ? Math.Min(latency.IpiNs, latency.MigrationNs) : long.MaxValue;
        var quantum = _scenario.UsesQuantumWindows ? _scenario.QuantumNs : 0;
        return new HorizonPlanner([.. routes.Keys], ComponentIds.IsCpu, latency.ZoneMessageNs, latency.ZoneMessageNs, cpuToCpu, quantum,
            ComponentIds.IsKernelService, latency.ZoneMessageNs, id => id == ComponentIds.OomKiller, latency.IpiNs,
            serviceToCpu: Math.Min(
                _scenario.Topology.SwapBytes > 0 ? latency.SwapWriteNs + latency.ZoneMessageNs : long.MaxValue,
                // Demotion: a kswapd asks the CPU that maps a folio to remap it, an IPI's trip after the target's page came.
                _scenario.Sysctl.DemotionEnabled ? latency.IpiNs : long.MaxValue),
            zoneToService: _scenario.Sysctl.DemotionEnabled ? latency.ZoneMessageNs : long.MaxValue,
            // The page cache asks a reader's slab front-end for the xarray nodes its pages needed.
            asker: id => id == ComponentIds.PageCache,
            asked: ComponentIds.IsSlab,
            askLatency: PageCacheActor.Needed(_scenario) ? latency.ZoneMessageNs : long.MaxValue);
    }

    /// <summary>
    /// For a node, every component in another process and the node there that relays batches to it:
    /// the lowest node of that process (nodes of one process share their actors' address).
    /// </summary>
    private Func<int, Dictionary<int, IActorRef>> Relays(IReadOnlyDictionary<int, IActorRef> routes)
    {
        var process = _nodes.ToDictionary(n => n.Key, n => n.Value.Path.Address);
        var relayOf = _nodes.GroupBy(n => n.Value.Path.Address).ToDictionary(g => g.Key, g => g.MinBy(n => n.Key).Value);
        return node => routes.Keys
            .Where(id => process[NodeOf(id)] != process[node])
            .ToDictionary(id => id, id => relayOf[process[NodeOf(id)]]);
    }

    private void TellNodes(object message)
    {
        foreach (var node in _nodes.Values)
        {
            node.Tell(message);
        }
    }

    private int NodeOf(int component) =>
        ComponentIds.IsCpu(component) ? _scenario.Topology.NodeOfCpu(ComponentIds.CpuOf(component))
        : ComponentIds.IsKernelService(component) ? ComponentIds.NodeOfService(component, _scenario.Topology)
        : Model.Topology.ZoneIndex.Node(component);
}
