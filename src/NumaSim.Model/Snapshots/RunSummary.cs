namespace NumaSim.Model.Snapshots;

/// <summary>What summary.json reports of a run besides the machine state.</summary>
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

/// <summary>Percentiles of one latency kind, in simulated nanoseconds.</summary>
public sealed record LatencyStats(long Count, long P50, long P99, long Max);

/// <summary>A simulated kernel bug or failure the run detected (the run goes on).</summary>
public sealed record SimError(string Kind, string Message, int Cpu, long SimulatedNs)
{
    /// <summary>The slab cache involved, for slab reports.</summary>
    public string? Cache { get; init; }

    /// <summary>The object's address as the kernel prints a pointer, for slab reports.</summary>
    public string? Address { get; init; }
}

/// <summary>How simulated time advanced: the lookahead, the quantum (0 when exact) and the rounds run.</summary>
public sealed record SimulationClockInfo(long LookaheadNs, long QuantumNs, long Rounds);

/// <summary>Page allocations asked for, served, failed, and pages freed by the workload.</summary>
public sealed record AllocationTotals(long Requested, long Served, long Failed, long Frees, long RemoteServed);

/// <summary>What the MMU did: demand faults, segmentation faults, shootdowns and the IPIs they sent, task migrations.</summary>
public sealed record MmuTotals(long Faults, long Segfaults, long Shootdowns, long Ipis, long Migrations, long TlbEvictions)
{
    public static MmuTotals Zero { get; } = new(0, 0, 0, 0, 0, 0);
}
