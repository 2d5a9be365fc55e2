using NumaSim.Model.PageAlloc;

namespace NumaSim.Actors.Messages;

/// <summary>
/// A node's components that have work this round, each with the time it may run to (every event
/// before it is safe: nothing can still arrive earlier). Views are the zones' free counts as last
/// reported, what CPUs' watermark checks read.
/// </summary>
public sealed record RunRound(IReadOnlyDictionary<int, long> Until, ZoneFreeView[] Views) : ISimMessage
{
    /// <summary>The clock's round number, from 1 (the boot round).</summary>
    public long Round { get; init; }

    /// <summary>Per component: how many event batches were sent to it in earlier rounds (see <see cref="RunWindow.ExpectedBatches"/>).</summary>
    public IReadOnlyDictionary<int, long> Expected { get; init; } = new Dictionary<int, long>();

    /// <summary>Per CPU: how far it may run while it sends nothing (see <see cref="RunWindow.Beyond"/>); absent: no further than Until.</summary>
    public IReadOnlyDictionary<int, long> Beyond { get; init; } = new Dictionary<int, long>();

    /// <summary>See <see cref="RunWindow.SelfChain"/>.</summary>
    public long SelfChain { get; init; } = long.MaxValue;
}

/// <summary>Run every event with time &lt; Until.</summary>
public sealed record RunWindow(long Until, ZoneFreeView[] Views) : ISimMessage
{
    /// <summary>
    /// Batches sent to this component in rounds before <see cref="Round"/>, as the coordinator
    /// learnt from every ComponentDone.Sent (docs/architecture.md section 2). The component runs only
    /// once it holds that many of them: in one process they are always there already; across
    /// processes one may still be on the wire, overtaken by a batch of this very round.
    /// </summary>
    public long ExpectedBatches { get; init; }

    /// <summary>The clock's round; batches sent while running it carry it.</summary>
    public long Round { get; init; }

    /// <summary>
    /// Past <see cref="Until"/>, how far a CPU may run while it sends nothing: its horizon was set by what it could send
    /// itself, which can come back to it no sooner than <see cref="SelfChain"/> after it is sent. 0: no further than Until.
    /// </summary>
    public long Beyond { get; init; }

    /// <summary>The shortest way back to this CPU of what it sends (HorizonPlanner.SelfChain).</summary>
    public long SelfChain { get; init; } = long.MaxValue;
}

/// <summary>
/// A component finished its run: the earliest event it holds (long.MaxValue if none), whether
/// its workload is complete, its operations so far, a zone's free counts, the earliest arrival
/// of what it sent to each destination, and whether it waits for an answer.
/// </summary>
public sealed record ComponentDone(
    int Component,
    long NextEventTime,
    bool WorkloadFinished,
    long Operations,
    ZoneFreeView? View,
    IReadOnlyList<(int Destination, long Arrival)> Sent,
    bool Blocked) : ISimMessage
{
    public long CausalityViolations { get; init; }

    public string? Violation { get; init; }

    /// <summary>The panic message when the simulated kernel panicked in this component.</summary>
    public string? Panic { get; init; }

    /// <summary>What broke in this component's handler, if anything did: the run stops as incomplete (an internal fault).</summary>
    public string? Fault { get; init; }

    /// <summary>A CPU whose allocation is in direct reclaim: it may drain other CPUs' lists and ask the OOM killer.</summary>
    public bool Reclaiming { get; init; }

    /// <summary>The one component a blocked CPU waits for (the zone it asked for pages); -1 when it waits for several, or for none.</summary>
    public int Awaited { get; init; } = -1;

    /// <summary>Its earliest event from which it could send anything, when that is not every event (see <see cref="ILruBookkeeping"/>).</summary>
    public long NextSend { get; init; } = long.MinValue;

    /// <summary>The destinations among <see cref="Sent"/> whose batch held LRU bookkeeping alone.</summary>
    public IReadOnlyList<int> Bookkeeping { get; init; } = [];
}

/// <summary>A node's share of the round: the answers of the components it ran.</summary>
public sealed record NodeDone(int Node, IReadOnlyList<ComponentDone> Components) : ISimMessage;
