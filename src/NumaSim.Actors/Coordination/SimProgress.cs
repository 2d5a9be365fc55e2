namespace NumaSim.Actors.Coordination;

/// <summary>Where a run stands, for a progress line.</summary>
public readonly record struct SimProgress(long SimulatedNs, long Operations, long Rounds, TimeSpan Elapsed)
{
    private readonly PlannedWork? _plan;

    /// <summary>What the scenario plans (<see cref="PlannedWork.None"/>: nothing known).</summary>
    public PlannedWork Plan
    {
        get => _plan ?? PlannedWork.None;
        init => _plan = value;
    }

    /// <summary>Wall time the boot round took: the estimate leaves it out, as the rounds to come have none.</summary>
    public TimeSpan Boot { get; init; }

    /// <summary>The share of the run done, 0 to 1; null when the scenario plans nothing to measure it by.</summary>
    public double? Done => Plan.Done(Operations, SimulatedNs);

    /// <summary>Wall time left at the rate so far; null when there is nothing to estimate it from.</summary>
    public TimeSpan? Remaining => Plan.Remaining(Operations, SimulatedNs, Elapsed - Boot);
}
