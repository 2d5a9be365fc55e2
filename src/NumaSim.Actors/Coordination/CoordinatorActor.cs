using System.Diagnostics;
using Akka.Actor;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Nodes;
using NumaSim.Model.PageAlloc;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Coordination;

/// <summary>
/// The simulation clock: creates the nodes, wires every component's address, then runs windows
/// [T, T + W) until the workload is done, starting each window at the earliest pending event so
/// that idle stretches of simulated time cost nothing. A first empty window boots every zone and
/// collects the zones' free counts.
/// </summary>
public sealed class CoordinatorActor : ReceiveActor
{
    private readonly Scenario _scenario;
    private readonly Action<SimProgress>? _progress;
    private readonly Dictionary<int, IActorRef> _nodes = [];
    private readonly Dictionary<int, IActorRef> _routes = [];
    private readonly ZoneFreeView[] _views;
    private readonly List<NodeState> _states = [];
    private readonly Stopwatch _clock = new();
    private IActorRef? _requester;
    private int _awaiting;
    private long _next;
    private bool _finished;
    private long _operations;
    private long _windows;
    private long _simulatedNs;
    private double _bootSeconds = -1;
    private TimeSpan _lastProgress;
    private string? _incomplete;

    public CoordinatorActor(Scenario scenario, PageAllocatorSetup setup, Action<SimProgress>? progress)
    {
        _scenario = scenario;
        _progress = progress;
        _views = new ZoneFreeView[setup.ZoneSlots];
        foreach (var node in scenario.Topology.Nodes)
        {
            _nodes[node.Id] = Context.ActorOf(NodeActor.Props(node.Id, scenario, setup), $"node-{node.Id}");
        }

        Receive<StartSimulation>(_ =>
        {
            _requester = Sender;
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
                Broadcast(new Wire(_routes));
            }
        });
        Receive<Wired>(_ =>
        {
            if (--_awaiting == 0)
            {
                StartWindow(0, 0);
            }
        });
        Receive<NodeDone>(OnNodeDone);
        Receive<NodeState>(state =>
        {
            _states.Add(state);
            if (--_awaiting == 0)
            {
                _requester!.Tell(new SimulationOutcome([.. _states.OrderBy(s => s.Node)], _simulatedNs, _windows, _bootSeconds, _incomplete));
            }
        });
    }

    public static Props Props(Scenario scenario, PageAllocatorSetup setup, Action<SimProgress>? progress) =>
        Akka.Actor.Props.Create(() => new CoordinatorActor(scenario, setup, progress));

    private void Broadcast(object message)
    {
        _awaiting = _nodes.Count;
        foreach (var node in _nodes.Values)
        {
            node.Tell(message);
        }
    }

    private void StartWindow(long start, long until)
    {
        _next = long.MaxValue;
        _finished = true;
        _operations = 0;
        // A copy: messages are immutable, and nodes that finish early must not see the next window's views.
        Broadcast(new RunWindow(start, until, [.. _views]));
    }

    private void OnNodeDone(NodeDone done)
    {
        _next = Math.Min(_next, done.NextEventTime);
        _finished &= done.WorkloadFinished;
        _operations += done.Operations;
        foreach (var (zone, view) in done.Views)
        {
            _views[zone] = view;
        }
        if (--_awaiting > 0)
        {
            return;
        }
        if (_bootSeconds < 0)
        {
            _bootSeconds = _clock.Elapsed.TotalSeconds;
        }
        else
        {
            _windows++;
        }
        ReportProgress();
        var maxTime = _scenario.MaxTimeNs;
        if (_finished || _next == long.MaxValue || (maxTime > 0 && _next >= maxTime))
        {
            if (!_finished && _next != long.MaxValue)
            {
                _incomplete = $"max-time {maxTime} ns reached before the workload finished";
            }
            Broadcast(CollectState.Instance);
            return;
        }
        var until = _next + _scenario.WindowNs;
        _simulatedNs = Math.Max(_simulatedNs, until);
        StartWindow(_next, until);
    }

    private void ReportProgress()
    {
        if (_progress is null || _clock.Elapsed - _lastProgress < TimeSpan.FromMilliseconds(250))
        {
            return;
        }
        _lastProgress = _clock.Elapsed;
        _progress(new SimProgress(_simulatedNs, _operations, _windows, _clock.Elapsed));
    }
}
