using Akka.Actor;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.Sim;
using NumaSim.Model.Snapshots;
using NumaSim.Results;

namespace NumaSim.Actors.Coordination;

/// <summary>
/// Between rounds every component is idle, so what the coordinator collects is the machine's state at that point,
/// as at the end. Everything that looks at the machine there is a <see cref="Look"/>, run in turn by one
/// mechanism while the next round's plan waits: it asks the components, gathers every answer, acts on them, and
/// goes on with the next look, or starts the round when none is left. A look never changes what is simulated.
/// </summary>
public sealed partial class CoordinatorActor
{
    /// <summary>The report's timeline: a sample every 10 us of simulated time at first, the interval doubling every 16 samples.</summary>
    private const long FirstSampleIntervalNs = 10_000;
    private const int SamplesPerDoubling = 16;

    private readonly SampleSchedule _samples = new(FirstSampleIntervalNs, SamplesPerDoubling);
    private TimeSpan _lastLive;
    private TimeSpan _lastPeek;
    private TimeSpan? _lastProgress;
    private PlannedWork? _plannedWork;

    /// <summary>What happens between two rounds.</summary>
    private abstract record Look
    {
        /// <summary>The run is over: its state goes to the caller and nothing more runs.</summary>
        public static Look End { get; } = new Collect(Ends: true);

        /// <summary>A pause point is reached: the state goes to the caller, the plan waits for <see cref="ContinueSimulation"/>.</summary>
        public static Look Pause { get; } = new Collect(Ends: false);
    }

    /// <summary>The state goes to the caller, at the end or at a pause point.</summary>
    private sealed record Collect(bool Ends) : Look;

    /// <summary>The state, folded as at the end, goes to the observers: a timeline sample, a live view, or both.</summary>
    private sealed record Observe(bool Sample, bool Live) : Look;

    /// <summary>slabinfo as it stands goes to the live feed.</summary>
    private sealed record PeekSlabinfo : Look;

    /// <summary>The looks due before the next round: a sample at its simulated time, live views at their wall intervals.</summary>
    private List<Look> DueLooks(long earliest)
    {
        var looks = new List<Look>();
        var sample = _observers?.Sample is not null && _samples.Due(earliest);
        var live = _observers?.Live is not null && _wall.Elapsed - _lastLive >= _observers.LiveInterval;
        if (sample)
        {
            _samples.Taken(earliest);
        }
        if (live)
        {
            _lastLive = _wall.Elapsed;
        }
        if (sample || live)
        {
            looks.Add(new Observe(sample, live));
        }
        else if (_liveSlabs is not null && _wall.Elapsed - _lastPeek >= _liveSlabs.Every)
        {
            _lastPeek = _wall.Elapsed;
            looks.Add(new PeekSlabinfo());
        }
        return looks;
    }

    /// <summary>Runs the looks in turn while <paramref name="plan"/> waits, then starts the round.</summary>
    private void BetweenRounds(RunClock run, IReadOnlyDictionary<int, long> plan, IReadOnlyList<Look> looks)
    {
        if (looks.Count == 0)
        {
            StartRound(run, plan);
            return;
        }
        var rest = looks.Skip(1).ToList();
        switch (looks[0])
        {
            case Collect { Ends: true }:
                GatherStates(states =>
                {
                    Answer(run, states, paused: false);
                    Ended();
                });
                break;
            case Collect:
                GatherStates(states =>
                {
                    Answer(run, states, paused: true);
                    Paused(run, plan);
                });
                break;
            case Observe { Live: false } when !_observers!.SampleWholeState:
                // A timeline sample alone asks each component for a few counters, not for its whole state.
                GatherTimeline(timelines =>
                {
                    _observers!.Sample!(Point(timelines));
                    BetweenRounds(run, plan, rest);
                });
                break;
            case Observe observe:
                GatherStates(states =>
                {
                    var result = _fold!(Outcome(run, states, null));
                    if (observe.Sample)
                    {
                        _observers!.Sample!(TimelinePoint.Of(result.Machine, result.Summary.SimulatedNs));
                    }
                    if (observe.Live)
                    {
                        _observers!.Live!(result);
                    }
                    BetweenRounds(run, plan, rest);
                });
                break;
            case PeekSlabinfo:
                GatherSlabinfo(run, peeks =>
                {
                    _liveSlabs!.Publish(SlabinfoSum.Of(peeks.OrderBy(p => p.Cpu).SelectMany(p => p.Caches)));
                    BetweenRounds(run, plan, rest);
                });
                break;
            default:
                throw new InvalidOperationException($"no such look between rounds: {looks[0]}");
        }
    }

    /// <summary>Every node's state, as at the end: every component is idle between rounds.</summary>
    private void GatherStates(Action<List<NodeState>> then)
    {
        TellNodes(CollectState.Instance);
        Await(_nodes.Count, then);
    }

    /// <summary>Every node's part of a timeline sample.</summary>
    private void GatherTimeline(Action<List<NodeTimeline>> then)
    {
        TellNodes(CollectTimeline.Instance);
        Await(_nodes.Count, then);
    }

    /// <summary>
    /// The timeline's point from every node's part, as <see cref="TimelinePoint.Of(Model.Snapshots.MachineSnapshot, long)"/>
    /// gives it from the folded state: simulated time the latest clock among CPUs and slab front-ends.
    /// </summary>
    private TimelinePoint Point(List<NodeTimeline> timelines)
    {
        var ordered = timelines.OrderBy(t => t.Node).ToList();
        var total = ordered.Aggregate(TimelineShare.Zero, (sum, t) => sum.Plus(t.Total));
        return TimelinePoint.Of(
            total.Clock,
            [.. ordered.SelectMany(t => t.Zones)],
            [.. _scenario.Topology.Nodes.Select(n => n.Id).Order().Select(id => new NodePoint(
                id, id < total.FilePages.Count ? total.FilePages[id] : 0, id < total.AnonPages.Count ? total.AnonPages[id] : 0))],
            (total.PgstealKswapd, total.PgstealDirect));
    }

    /// <summary>Every slab front-end's slabinfo rows as they stand.</summary>
    private void GatherSlabinfo(RunClock run, Action<List<SlabPeek>> then)
    {
        var slabs = run.Routes.Where(r => ComponentIds.IsSlab(r.Key)).Select(r => r.Value).ToList();
        slabs.ForEach(slab => slab.Tell(PeekSlabs.Instance));
        Await(slabs.Count, then);
    }

    private void Answer(RunClock run, List<NodeState> states, bool paused)
    {
        var reason = paused ? $"paused at {run.Planner.EarliestEvent} ns" : run.Incomplete;
        run.Caller.Requester.Tell(Outcome(run, states, reason) with { Panic = run.Panic, Paused = paused });
    }

    /// <summary>The run as the states show it; simulated time is the latest clock among CPUs and slab front-ends.</summary>
    private static SimulationOutcome Outcome(RunClock run, List<NodeState> states, string? reason)
    {
        var simulated = states.SelectMany(s => s.Cpus.Select(c => c.Clock).Concat(s.Slabs.Select(c => c.Clock))).DefaultIfEmpty(0).Max();
        return new SimulationOutcome([.. states.OrderBy(s => s.Node)], simulated, run.Planner.Rounds, run.BootSeconds, reason) { Windows = run.Planner.Windows };
    }
}
