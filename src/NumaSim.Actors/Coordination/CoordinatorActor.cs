using System.Diagnostics;
using Akka.Actor;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Nodes;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Model.Snapshots;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Coordination;

/// <summary>
/// The simulation clock: creates the nodes, wires every component's address, then runs rounds.
/// Each round the <see cref="HorizonPlanner"/> says which components have work and how far each
/// may safely run; the nodes run them and report what they hold and what they sent. A first
/// round that runs nothing boots every zone and collects the zones' free counts.
/// </summary>
public sealed class CoordinatorActor : ReceiveActor
{
    private readonly Scenario _scenario;
    private readonly Action<SimProgress>? _progress;
    private readonly SlabinfoFeed? _liveSlabs;
    private readonly SortedDictionary<int, IReadOnlyList<SlabCacheSnapshot>> _peeks = [];
    private IReadOnlyDictionary<int, long>? _heldPlan;
    private TimeSpan _lastPeek;
    private readonly Dictionary<int, IActorRef> _nodes = [];
    private readonly Dictionary<int, IActorRef> _routes = [];
    private readonly ZoneFreeView[] _views;
    private readonly List<NodeState> _states = [];
    private readonly List<NodeDone> _roundResults = [];
    private readonly Stopwatch _clock = new();
    private readonly Dictionary<int, long> _operations = [];
    private readonly Dictionary<int, long> _batchesSent = [];
    // In one process a batch is in its receiver's mailbox before its sender answers (rule 3 holds
    // by itself); only nodes hosted in other processes need the counts.
    private readonly bool _countBatches;
    private long _round;
    private HorizonPlanner? _planner;
    private IActorRef? _requester;
    private int _awaiting;
    private double _bootSeconds = -1;
    private TimeSpan _lastProgress;
    private string? _incomplete;
    private string? _stopRequested;
    private PausePoint? _pause;
    private IReadOnlyDictionary<int, long>? _pausedPlan;
    private int _roundsSincePause;
    private string? _panic;
    private readonly RunObservers? _observers;
    private readonly Func<SimulationOutcome, SimulationResult>? _fold;
    private readonly SampleSchedule _samples = new(FirstSampleIntervalNs, SamplesPerDoubling);
    private readonly long _epochTicks = DateTime.UtcNow.Ticks;
    private TimeSpan _lastLive;
    private (bool Sample, bool Live)? _midRun;

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
        _views = new ZoneFreeView[setup.ZoneSlots];
        _countBatches = hostedNodes is not null;
        foreach (var node in scenario.Topology.Nodes)
        {
            _nodes[node.Id] = hostedNodes is not null ? hostedNodes[node.Id] : Context.ActorOf(NodeActor.Props(node.Id, scenario, setup), $"node-{node.Id}");
        }

        Receive<StartSimulation>(start =>
        {
            _requester = Sender;
            _pause = start.Pause;
            _clock.Start();
            Broadcast(RequestReady.Instance);
        });
        Receive<NodeReady>(ready =>
        {
            foreach (var (id, component) in ready.Components)
            {
                _routes[id] = component;
            }
            if (--_awaiting == 0)
            {
                _planner = CreatePlanner();
                var wire = new Wire(_routes) { Observed = _scenario.Observed, EpochTicks = _epochTicks, LatencyByNodePair = _observers?.LatencyByNodePair == true };
                var relays = _countBatches ? Relays() : null;
                _awaiting = _nodes.Count;
                foreach (var (node, actor) in _nodes)
                {
                    actor.Tell(relays is null ? wire : wire with { Relays = relays(node) });
                }
            }
        });
        Receive<Wired>(_ =>
        {
            if (--_awaiting == 0)
            {
                // The boot round: every component runs to time 0 (nothing) and reports.
                StartRound(_routes.Keys.ToDictionary(id => id, _ => 0L));
            }
        });
        Receive<NodeDone>(OnNodeDone);
        Receive<ContinueSimulation>(go =>
        {
            _requester = Sender;
            _pause = go.Pause;
            _roundsSincePause = 0;
            var plan = _pausedPlan ?? throw new InvalidOperationException("the run is not paused");
            _pausedPlan = null;
            StartRound(Clamp(plan));
        });
        Receive<StopSimulation>(stop => _stopRequested ??= stop.Reason);
        Receive<SlabPeek>(OnSlabPeek);
        Receive<NodeState>(state =>
        {
            _states.Add(state);
            if (--_awaiting == 0 && _midRun is { } midRun)
            {
                ObserveMidRun(midRun);
            }
            else if (_awaiting == 0)
            {
                var simulated = SimulatedNow();
                var paused = _pausedPlan is not null;
                var reason = paused ? $"paused at {_planner!.EarliestEvent} ns" : _incomplete;
                _requester!.Tell(new SimulationOutcome([.. _states.OrderBy(s => s.Node)], simulated, _planner!.Rounds, _bootSeconds, reason) { Panic = _panic, Paused = paused });
                _states.Clear();
            }
        });
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

    private HorizonPlanner CreatePlanner()
    {
        var latency = _scenario.Latency;
        var cpuToCpu = _scenario.CpusTalkToEachOther ? Math.Min(latency.IpiNs, latency.MigrationNs) : long.MaxValue;
        var quantum = _scenario.UsesQuantumWindows ? _scenario.QuantumNs : 0;
        return new HorizonPlanner([.. _routes.Keys], ComponentIds.IsCpu, latency.ZoneMessageNs, latency.ZoneMessageNs, cpuToCpu, quantum);
    }

    /// <summary>
    /// For a node, every component in another process and the node there that relays batches to it:
    /// the lowest node of that process (nodes of one process share their actors' address).
    /// </summary>
    private Func<int, Dictionary<int, IActorRef>> Relays()
    {
        var process = _nodes.ToDictionary(n => n.Key, n => n.Value.Path.Address);
        var relayOf = _nodes.GroupBy(n => n.Value.Path.Address).ToDictionary(g => g.Key, g => g.MinBy(n => n.Key).Value);
        return node => _routes.Keys
            .Where(id => process[NodeOf(id)] != process[node])
            .ToDictionary(id => id, id => relayOf[process[NodeOf(id)]]);
    }

    private void Broadcast(object message)
    {
        _awaiting = _nodes.Count;
        foreach (var node in _nodes.Values)
        {
            node.Tell(message);
        }
    }

    private void StartRound(IReadOnlyDictionary<int, long> plan)
    {
        var byNode = new SortedDictionary<int, (Dictionary<int, long> Until, Dictionary<int, long> Expected)>();
        foreach (var (component, until) in plan)
        {
            var node = NodeOf(component);
            if (!byNode.TryGetValue(node, out var list))
            {
                byNode[node] = list = ([], []);
            }
            list.Until[component] = until;
            if (_countBatches && _batchesSent.TryGetValue(component, out var expected))
            {
                list.Expected[component] = expected;
            }
        }
        // A copy: messages are immutable, and nodes that finish early must not see the next round's views.
        var views = _views.ToArray();
        _round++;
        _awaiting = byNode.Count;
        _roundResults.Clear();
        foreach (var (node, (until, expected)) in byNode)
        {
            _nodes[node].Tell(new RunRound(until, views) { Expected = expected, Round = _round });
        }
    }

    private int NodeOf(int component) =>
        ComponentIds.IsCpu(component)
            ? _scenario.Topology.NodeOfCpu(ComponentIds.CpuOf(component))
            : Model.Topology.ZoneIndex.Node(component);

    private void OnNodeDone(NodeDone done)
    {
        _roundResults.Add(done);
        if (--_awaiting > 0)
        {
            return;
        }
        var planner = _planner!;
        var results = _roundResults.OrderBy(r => r.Node).SelectMany(r => r.Components).ToList();
        foreach (var c in results)
        {
            if (c.Panic is not null && _panic is null)
            {
                _panic = c.Panic;
            }
            if (c.CausalityViolations > 0 && _incomplete is null)
            {
                _incomplete = $"internal fault: component {c.Component} received an event for a time it had already run past: {c.Violation}";
            }
            planner.Ran(c.Component, c.NextEventTime, c.WorkloadFinished, c.Blocked);
            _operations[c.Component] = c.Operations;
            if (c.View is { } view)
            {
                _views[c.Component] = view;
            }
        }
        foreach (var c in results)
        {
            foreach (var (destination, arrival) in c.Sent)
            {
                planner.Sent(destination, arrival);
                if (_countBatches)
                {
                    // Sent holds one entry per batch: one batch per destination per run.
                    _batchesSent[destination] = _batchesSent.GetValueOrDefault(destination) + 1;
                }
            }
        }
        if (_bootSeconds < 0)
        {
            _bootSeconds = _clock.Elapsed.TotalSeconds;
        }
        ReportProgress();
        var maxTime = _scenario.MaxTimeNs;
        var earliest = planner.EarliestEvent;
        if (_stopRequested is not null && _incomplete is null && !planner.AllFinished)
        {
            _incomplete = _stopRequested;
        }
        if (_panic is not null || _incomplete is not null || planner.AllFinished || earliest == long.MaxValue || (maxTime > 0 && earliest >= maxTime))
        {
            if (_panic is null && _incomplete is null && !planner.AllFinished && earliest != long.MaxValue)
            {
                _incomplete = $"max-time {maxTime} ns reached before the workload finished";
            }
            Broadcast(CollectState.Instance);
            return;
        }
        var plan = planner.Plan();
        _roundsSincePause++;
        if (_pause is { } pause && (earliest >= pause.AtNs || _roundsSincePause >= pause.Rounds))
        {
            // Between rounds every component is idle: their states are the machine's at this point.
            _pausedPlan = plan;
            Broadcast(CollectState.Instance);
            return;
        }
        var next = Clamp(plan);
        if (CollectMidRun(earliest, next))
        {
            return;
        }
        if (_liveSlabs is not null && _clock.Elapsed - _lastPeek >= _liveSlabs.Every)
        {
            // Between rounds every component is idle: the slab front-ends answer with their caches as they stand.
            _lastPeek = _clock.Elapsed;
            _heldPlan = next;
            _peeks.Clear();
            foreach (var (id, component) in _routes.Where(r => ComponentIds.IsSlab(r.Key)))
            {
                component.Tell(PeekSlabs.Instance);
            }
            return;
        }
        StartRound(next);
    }

    /// <summary>Starts the round whose plan waited for a look between rounds (slabinfo, metrics).</summary>
    private void ResumeHeldRound()
    {
        var plan = _heldPlan!;
        _heldPlan = null;
        StartRound(plan);
    }

    /// <summary>The plan with no component running past max-time or the next pause point.</summary>
    private IReadOnlyDictionary<int, long> Clamp(IReadOnlyDictionary<int, long> plan)
    {
        var limit = Math.Min(_scenario.MaxTimeNs > 0 ? _scenario.MaxTimeNs : long.MaxValue, _pause?.AtNs ?? long.MaxValue);
        return limit == long.MaxValue ? plan : plan.ToDictionary(kv => kv.Key, kv => Math.Min(kv.Value, limit));
    }

    /// <summary>The report's timeline: a sample every 10 us of simulated time at first, the interval doubling every 16 samples.</summary>
    private const long FirstSampleIntervalNs = 10_000;
    private const int SamplesPerDoubling = 16;

    /// <summary>Between rounds, when a sample or a live view is due: every component's state, as at the end; the round waits.</summary>
    private bool CollectMidRun(long earliest, IReadOnlyDictionary<int, long> next)
    {
        if (_observers is null)
        {
            return false;
        }
        var sample = _observers.Sample is not null && _samples.Due(earliest);
        var live = _observers.Live is not null && _clock.Elapsed - _lastLive >= _observers.LiveInterval;
        if (!sample && !live)
        {
            return false;
        }
        if (sample)
        {
            _samples.Taken(earliest);
        }
        if (live)
        {
            _lastLive = _clock.Elapsed;
        }
        _midRun = (sample, live);
        _heldPlan = next;
        _states.Clear();
        Broadcast(CollectState.Instance);
        return true;
    }

    /// <summary>The latest clock among the collected states' CPUs and slab front-ends.</summary>
    private long SimulatedNow() => _states.SelectMany(s => s.Cpus.Select(c => c.Clock).Concat(s.Slabs.Select(c => c.Clock))).DefaultIfEmpty(0).Max();

    private void ObserveMidRun((bool Sample, bool Live) midRun)
    {
        _midRun = null;
        var simulated = SimulatedNow();
        var result = _fold!(new SimulationOutcome([.. _states.OrderBy(s => s.Node)], simulated, _planner!.Rounds, _bootSeconds, null));
        _states.Clear();
        if (midRun.Sample)
        {
            _observers!.Sample!(result);
        }
        if (midRun.Live)
        {
            _observers!.Live!(result);
        }
        ResumeHeldRound();
    }

    private void OnSlabPeek(SlabPeek peek)
    {
        _peeks[peek.Cpu] = peek.Caches;
        if (_peeks.Count < _routes.Keys.Count(ComponentIds.IsSlab))
        {
            return;
        }
        _liveSlabs!.Publish(SlabinfoSum.Of(_peeks.Values.SelectMany(rows => rows)));
        ResumeHeldRound();
    }

    private void ReportProgress()
    {
        if (_progress is null || _clock.Elapsed - _lastProgress < TimeSpan.FromMilliseconds(250))
        {
            return;
        }
        _lastProgress = _clock.Elapsed;
        _progress(new SimProgress(_planner!.EarliestEvent, _operations.Values.Sum(), _planner.Rounds, _clock.Elapsed));
    }
}
