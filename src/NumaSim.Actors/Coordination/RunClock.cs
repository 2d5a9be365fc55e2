using Akka.Actor;
using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;

namespace NumaSim.Actors.Coordination;

/// <summary>Who asked for the run (or for its next stretch) and where it is to pause (null: run to the end).</summary>
internal sealed record Caller(IActorRef Requester, PausePoint? Pause);

/// <summary>
/// What the coordinator keeps from one round to the next once the nodes are wired: the planner, every component's
/// address, the zones' free counts as they last reported them, the batches sent to each component (across
/// processes), and what the run has met so far (a panic, a clock fault, the boot time).
/// </summary>
internal sealed class RunClock(HorizonPlanner planner, IReadOnlyDictionary<int, IActorRef> routes, int zoneSlots, Caller caller)
{
    public HorizonPlanner Planner { get; } = planner;

    public IReadOnlyDictionary<int, IActorRef> Routes { get; } = routes;

    /// <summary>The zones' free counts as they last reported them (what CPUs' watermark checks read).</summary>
    public ZoneFreeView[] Views { get; } = new ZoneFreeView[zoneSlots];

    /// <summary>Operations done by each component, as it last reported them (the progress line).</summary>
    public Dictionary<int, long> Operations { get; } = [];

    /// <summary>Batches sent to each component so far: what it must hold before it runs (across processes).</summary>
    public Dictionary<int, long> BatchesSent { get; } = [];

    public Caller Caller { get; private set; } = caller;

    public long Round { get; set; }

    /// <summary>Rounds run since the run last started or continued (a step counts them).</summary>
    public int RoundsSincePause { get; set; }

    /// <summary>Wall seconds the boot round took; negative until it ends.</summary>
    public double BootSeconds { get; set; } = -1;

    /// <summary>Why the run ends before its workload does (max-time, a clock fault); null while it goes on.</summary>
    public string? Incomplete { get; set; }

    public string? Panic { get; set; }

    /// <summary>The run goes on from a pause, for another caller and to its pause point.</summary>
    public void Continue(Caller next)
    {
        Caller = next;
        RoundsSincePause = 0;
    }

    /// <summary>The plan with no component running past max-time or the next pause point.</summary>
    public IReadOnlyDictionary<int, long> Clamp(IReadOnlyDictionary<int, long> plan, long maxTimeNs)
    {
        var limit = Limit(maxTimeNs);
        return limit == long.MaxValue ? plan : plan.ToDictionary(kv => kv.Key, kv => Math.Min(kv.Value, limit));
    }

    /// <summary>No component runs to or past max-time or the next pause point.</summary>
    public long Limit(long maxTimeNs) => Math.Min(maxTimeNs > 0 ? maxTimeNs : long.MaxValue, Caller.Pause?.AtNs ?? long.MaxValue);
}
