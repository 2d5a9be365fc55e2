using NumaSim.Model.Snapshots;

namespace NumaSim.Results;

/// <summary>
/// What summary.json reports of a run besides the machine state: the run's totals, its wall-clock times and the
/// processes it ran on. The shapes of a run's result, which the actors and replay build and the formats, report
/// and telemetry read; the model's own state is in NumaSim.Model.
/// </summary>
public sealed record RunSummary(
    string Scenario,
    long Seed,
    long Operations,
    long SimulatedNs,
    double WallSeconds,
    double BootSeconds,
    IReadOnlyList<MemberInfo> Members,
    TlbCounts Tlb,
    IReadOnlyDictionary<string, LatencyStats> LatencyNs,
    IReadOnlyList<SimError> Errors,
    SimulationClockInfo Clock,
    AllocationTotals Allocations,
    string? IncompleteReason = null)
{
    public MmuTotals Mmu { get; init; } = MmuTotals.Zero;

    /// <summary>The kernel allocators' totals, when the scenario made kernel allocations.</summary>
    public KernelTotals? Kernel { get; init; }

    /// <summary>"Kernel panic - not syncing: ..." when the simulated kernel panicked (exit 3).</summary>
    public string? Panic { get; init; }

    /// <summary>For `numasim replay`: what the trace held and what the model made of it; null for a run.</summary>
    public TraceReplaySummary? Trace { get; init; }

    public double OperationsPerSecond => WallSeconds > 0 ? Operations / WallSeconds : 0;

    public bool Complete => IncompleteReason is null;
}

public sealed record MemberInfo(int Pid, string Address, IReadOnlyList<int> Nodes);

public sealed record TlbCounts(long Hits, long Misses);

/// <summary>How simulated time advanced: the lookahead, the quantum (0 when exact) and the rounds run.</summary>
public sealed record SimulationClockInfo(long LookaheadNs, long QuantumNs, long Rounds)
{
    /// <summary>Component windows over all rounds: Windows / Rounds is how many components a round ran side by side (`numasim bench`; not in summary.json).</summary>
    public long Windows { get; init; }
}

/// <summary>Page allocations asked for, served, failed, and pages freed by the workload.</summary>
public sealed record AllocationTotals(long Requested, long Served, long Failed, long Frees, long RemoteServed);

/// <summary>What the MMU did: demand faults, segmentation faults, shootdowns and the IPIs they sent, task migrations.</summary>
public sealed record MmuTotals(long Faults, long Segfaults, long Shootdowns, long Ipis, long Migrations, long TlbEvictions)
{
    public static MmuTotals Zero { get; } = new(0, 0, 0, 0, 0, 0);
}
