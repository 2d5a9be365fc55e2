using NumaSim.Model.Kernel;

namespace NumaSim.Actors.Messages;

/// <summary>
/// out_of_memory from a CPU's allocation: the allocating task's pid (-1: no task, a kernel allocation) and the
/// allocation's nodemask (MPOL_BIND's nodes; null: none), which decides the constraint.
/// </summary>
public sealed record OomRequest(int ReplyTo, int Pid, int[]? Nodemask) : ISimPayload;

/// <summary>How the OOM killer answers an allocation.</summary>
public enum OomOutcome
{
    /// <summary>Another task was killed and its memory is back: the allocation is retried (did_some_progress).</summary>
    Killed,

    /// <summary>Another CPU held oom_lock and its victim is gone now: the allocation is retried without a kill of its own.</summary>
    Retry,

    /// <summary>The allocating task itself was chosen: it dies (the report says so).</summary>
    Victim,

    /// <summary>Nobody can be killed: the allocation fails.</summary>
    NoVictim,
}

/// <summary>
/// The OOM killer's answer. <paramref name="FreedByZone"/> (by zone index, for Killed) is what the victim's death gave
/// back to the zones, which the allocation's window-old free counts do not show yet; <paramref name="Report"/> (for
/// Victim) is the kernel's lines about it.
/// </summary>
public sealed record OomAnswer(OomOutcome Outcome, long[] FreedByZone, string? Report) : IServiceAnswer;

/// <summary>select_bad_process walks every task: each CPU says what it runs (<see cref="OomCandidates"/>).</summary>
public sealed record OomCensus(int ReplyTo) : IPressureWork;

/// <summary>A CPU's tasks as the OOM killer scores them.</summary>
public sealed record OomCandidates(int Cpu, OomTask[] Tasks) : ISimPayload;

/// <summary>The victim's CPU kills it (<paramref name="Report"/>: the kernel's lines) and answers <see cref="OomKillDone"/>.</summary>
public sealed record OomKillTask(int Pid, string Report, int ReplyTo) : IPressureWork;

/// <summary>The victim is gone and its memory on its way back (by zone index); Killed is false when the task was no longer there.</summary>
public sealed record OomKillDone(bool Killed, long[] FreedByZone) : ISimPayload;

/// <summary>drain_all_pages' work on another CPU (drain_local_pages from mm_percpu_wq): its per-CPU lists go back to the zones.</summary>
public sealed record PcpDrainWork(int ReplyTo) : IPressureWork;

/// <summary>The work is done (flush_work returns): the pages the drain gave back, by zone index.</summary>
public sealed record PcpDrained(long[] FreedByZone) : ISimPayload;
