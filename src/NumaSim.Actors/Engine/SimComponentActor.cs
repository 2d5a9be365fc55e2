using Akka.Actor;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Observation;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Telemetry.Tracing;

namespace NumaSim.Actors.Engine;

/// <summary>
/// The clock protocol every simulated component follows (docs/architecture.md section 2): hold incoming
/// events in (time, source, sequence) order; on RunWindow, process those before its horizon,
/// send what they produced as one batch per destination, and answer with the earliest event it
/// holds and the earliest arrival of what it sent.
/// </summary>
public abstract class SimComponentActor : UntypedActor
{
    /// <summary>The most events a component handles in one round: rounds stay short enough to show progress and stop.</summary>
    public const int MaxEventsPerWindow = 1 << 20;

    private readonly EventQueue<ISimPayload> _queue = new();
    // The keys of the events from which it could send anything, when LRU bookkeeping is not among them.
    private readonly EventQueue<ISimPayload> _sending = new();
    private IReadOnlyDictionary<int, IActorRef> _routes = new Dictionary<int, IActorRef>();
    private long _selfSequence;
    private long _processedThrough = long.MinValue;
    private long _lastProcessed = long.MinValue;
    // Batches from rounds before the current one, and those sent in later rounds by components
    // running concurrently (across processes they may overtake an earlier round's batch).
    private long _batchesFromEarlierRounds;
    // (round, batches) for rounds not yet drained: a handful, in arrays rather than a sorted dictionary over longs,
    // whose code a cold process would compile and run unoptimised for every batch and window.
    private long[] _batchRounds = new long[8];
    private long[] _batchCounts = new long[8];
    private int _batchEntries;
    private long _round;
    private (RunWindow Window, IActorRef Requester)? _waitingForBatches;

    protected SimComponentActor(int componentId, bool quantumWindows)
    {
        ComponentId = componentId;
        QuantumWindows = quantumWindows;
        Outbox = new Outbox(componentId);
    }

    // A plain switch, not ReceiveActor's handlers (built from expression trees, and matched through them for every
    // message): every window, batch and answer of a round comes through here.
    protected sealed override void OnReceive(object message)
    {
        switch (message)
        {
            case RunWindow window:
                if (!HoldsEveryBatchBefore(window))
                {
                    _waitingForBatches = (window, Sender);
                    return;
                }
                RunWindow(window, Sender);
                break;
            case EventBatch batch:
                Take(batch);
                break;
            case Wire w:
                _routes = w.Routes;
                Observed = w.Observed;
                Epoch = new SimEpoch(new DateTime(w.EpochTicks, DateTimeKind.Utc));
                LatencyByNodePair = w.LatencyByNodePair;
                break;
            case CollectState:
                Sender.Tell(State());
                break;
            case CollectTimeline:
                Sender.Tell(Timeline());
                break;
            default:
                if (!ReceiveMore(message))
                {
                    Unhandled(message);
                }
                break;
        }
    }

    private void Take(EventBatch batch)
    {
        foreach (var e in batch.Events)
        {
            if (e.Key.Time < _processedThrough && e.Payload is not IPressureWork)
            {
                // The clock let this component run past an event that was still on its way.
                CausalityViolations++;
                FirstViolation ??= $"{e.Payload.GetType().Name} for {e.Key.Time} ns from {e.Key.Source} after running through {_processedThrough} ns";
            }
            Enqueue(e.Key, e.Payload);
            QueuedFromOthers++;
        }
        CountBatch(batch.Round);
        if (_waitingForBatches is { } waiting && HoldsEveryBatchBefore(waiting.Window))
        {
            _waitingForBatches = null;
            RunWindow(waiting.Window, waiting.Requester);
        }
    }

    /// <summary>Its whole state, for the run's results and the machine's snapshots (<see cref="CollectState"/>).</summary>
    protected abstract object State();

    /// <summary>Its few counters for a timeline sample (<see cref="CollectTimeline"/>).</summary>
    protected abstract TimelineShare Timeline();

    /// <summary>A message beyond the clock protocol and the collections (a slab front-end's peek); false: not its kind.</summary>
    protected virtual bool ReceiveMore(object message) => false;

    protected int ComponentId { get; }

    protected Outbox Outbox { get; }

    /// <summary>Simulated time 0 on the wall clock, for spans.</summary>
    protected SimEpoch Epoch { get; private set; }

    /// <summary>The zones' free counts as of the last window's end.</summary>
    protected ZoneFreeView[] Views { get; private set; } = [];

    protected long WindowEnd { get; private set; }

    /// <summary>The earliest arrival a message sent now may have: the window's end under a quantum, else no limit.</summary>
    protected long NotBefore => QuantumWindows ? WindowEnd : long.MinValue;

    /// <summary>True when the run uses global windows of a quantum wider than the lookahead.</summary>
    protected bool QuantumWindows { get; }

    protected long Operations { get; set; }

    /// <summary>Events that arrived for a time this component had already run past (a clock bug; always 0).</summary>
    protected long CausalityViolations { get; private set; }

    private string? FirstViolation { get; set; }

    /// <summary>Whether a scenario test listens: build and publish observations only then.</summary>
    protected bool Observed { get; private set; }

    /// <summary>Keep access latency by node pair as well (metrics asked for it).</summary>
    protected bool LatencyByNodePair { get; private set; }

    protected virtual bool WorkloadFinished => true;

    /// <summary>
    /// Events other components sent that this one has not run yet: a kernel service whose work comes only from others
    /// (LRU additions, an unmap's answer) is not finished while it holds any.
    /// </summary>
    protected long QueuedFromOthers { get; private set; }

    protected virtual ZoneFreeView? View => null;

    // The first exception a handler threw (a model invariant broken): the run stops with it.
    private string? _fault;

    /// <summary>Set when the simulated kernel panicked here: the run stops.</summary>
    protected virtual string? Panic => null;

    /// <summary>Waiting for an answer: what it holds cannot run until the answer arrives.</summary>
    protected virtual bool Blocked => false;

    /// <summary>The one component a blocked component waits for an answer from; -1 when several may answer, or it does not wait.</summary>
    protected virtual int Awaited => -1;

    /// <summary>Counts the times the component started waiting.</summary>
    protected virtual long BlockEpisode => 0;

    /// <summary>An allocation of this CPU is in direct reclaim (the clock links CPUs while one is).</summary>
    protected virtual bool Reclaiming => false;

    /// <summary>Schedules an event for this component itself (no message, no latency floor).</summary>
    protected void Schedule(long time, ISimPayload payload) => Enqueue(new SimEventKey(time, ComponentId, _selfSequence++), payload);

    /// <summary>
    /// Handling LRU bookkeeping (<see cref="ILruBookkeeping"/>) never makes this component send anything (a kswapd
    /// without swap): it reports its earliest other event as the first from which anyone could hear from it. Fixed from construction on.
    /// </summary>
    protected virtual bool IgnoresBookkeeping => false;

    /// <summary>What it sends as LRU bookkeeping could start something that comes back to it (a CPU of a machine that swaps).</summary>
    protected virtual bool BookkeepingComesBack => true;

    private void Enqueue(SimEventKey key, ISimPayload payload)
    {
        _queue.Enqueue(key, payload);
        if (TracksSending(payload))
        {
            _sending.Enqueue(key, payload);
        }
    }

    // An event kept in _sending as well: one from which a component that ignores bookkeeping could send.
    private bool TracksSending(ISimPayload payload) => IgnoresBookkeeping && payload is not ILruBookkeeping;

    protected abstract void Handle(SimEventKey key, ISimPayload payload);

    /// <summary>LRU bookkeeping it batched to send at the window's end (a CPU's LRU additions): a send as far as the clock goes.</summary>
    protected virtual bool HoldsUnsentBookkeeping => false;

    /// <summary>The window's events are done: a component sends what it batched (a CPU's LRU additions) before the outbox goes.</summary>
    protected virtual void BeforeFlush()
    {
    }

    /// <summary>Publishes an observation; callers check <see cref="Observed"/> first so that nothing is built when off.</summary>
    protected void Observe(SimObservation observation) => Context.System.EventStream.Publish(observation);

    /// <summary>True when every batch sent to this component in rounds before the window's has arrived.</summary>
    private bool HoldsEveryBatchBefore(RunWindow window)
    {
        // Drained every round even when nothing is expected, so the per-round counts stay a handful.
        for (var i = _batchEntries - 1; i >= 0; i--)
        {
            if (_batchRounds[i] < window.Round)
            {
                _batchesFromEarlierRounds += _batchCounts[i];
                _batchEntries--;
                _batchRounds[i] = _batchRounds[_batchEntries];
                _batchCounts[i] = _batchCounts[_batchEntries];
            }
        }
        return _batchesFromEarlierRounds >= window.ExpectedBatches;
    }

    private void CountBatch(long round)
    {
        for (var i = 0; i < _batchEntries; i++)
        {
            if (_batchRounds[i] == round)
            {
                _batchCounts[i]++;
                return;
            }
        }
        if (_batchEntries == _batchRounds.Length)
        {
            Array.Resize(ref _batchRounds, _batchEntries * 2);
            Array.Resize(ref _batchCounts, _batchEntries * 2);
        }
        _batchRounds[_batchEntries] = round;
        _batchCounts[_batchEntries++] = 1;
    }

    private void RunWindow(RunWindow window, IActorRef requester)
    {
        _round = window.Round;
        Views = window.Views;
        WindowEnd = window.Until;
        // A component that starts waiting during this run stops: its horizon was computed when it
        // was not waiting, and what it holds must not run before the answer, whose time is unknown.
        var episode = BlockEpisode;
        var events = 0;
        // A CPU whose horizon is what it could send itself runs on past it until it sends something, and then as far as
        // that could take to come back (HorizonPlanner.Beyond).
        var until = Math.Max(window.Until, window.Beyond);
        var sent = until == window.Until;
        while (!(Blocked && BlockEpisode != episode) && events < MaxEventsPerWindow && _queue.TryDequeueBefore(until, out var key, out var payload))
        {
            _lastProcessed = key.Time;
            if (TracksSending(payload))
            {
                // The same key: every earlier key left in the queue is bookkeeping.
                _sending.TryDequeueBefore(long.MaxValue, out _, out _);
            }
            if (key.Source != ComponentId)
            {
                QueuedFromOthers--;
            }
            try
            {
                Handle(key, payload);
            }
            catch (Exception e)
            {
                // A broken invariant: the run stops here with the fault named (Akka would restart the actor, losing
                // its state, and the round would never end).
                _fault ??= string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"component {ComponentId} ({GetType().Name}) at {key.Time} ns on {payload.GetType().Name}: {e.Message}");
                break;
            }
            events++;
            if (!sent && (BookkeepingComesBack ? Outbox.HasPending || HoldsUnsentBookkeeping : Outbox.HasPendingBeyondBookkeeping))
            {
                sent = true;
                until = Math.Max(window.Until, key.Time > long.MaxValue - window.SelfChain ? until : Math.Min(until, key.Time + window.SelfChain));
            }
        }
        // A component may also stop after MaxEventsPerWindow events: one with nothing to wait for (a lone stream)
        // would otherwise run its whole workload in one round, with no progress shown and no stop taken meanwhile.
        // Stopping early is safe as stopping to wait is: nothing can arrive before the horizon it was given.
        var cut = events == MaxEventsPerWindow && _queue.NextTime < until;
        _processedThrough = (Blocked && BlockEpisode != episode) || cut ? _lastProcessed : Math.Max(_processedThrough, until);
        BeforeFlush();
        var arrivals = Outbox.Flush(_routes, Self, _round);
        requester.Tell(new ComponentDone(ComponentId, _queue.NextTime, WorkloadFinished, Operations, View, arrivals, Blocked) { CausalityViolations = CausalityViolations, Violation = FirstViolation, Panic = Panic, Reclaiming = Reclaiming, Fault = _fault, Awaited = Awaited, NextSend = IgnoresBookkeeping ? _sending.NextTime : long.MinValue, Bookkeeping = Outbox.Bookkeeping.Count == 0 ? [] : [.. Outbox.Bookkeeping] });
    }
}
