using NumaSim.Actors.Messages;

namespace NumaSim.Actors.Coordination;

/// <summary>Start the run; the coordinator answers with <see cref="SimulationOutcome"/> when it ends (or pauses).</summary>
public sealed record StartSimulation : ISimMessage
{
    public static StartSimulation Instance { get; } = new();

    /// <summary>Stop between rounds when this is reached, answer with the state there, and wait for <see cref="ContinueSimulation"/>.</summary>
    public PausePoint? Pause { get; init; }
}

/// <summary>
/// Where a paused run stops next: once nothing is left before <paramref name="AtNs"/>, or after
/// <paramref name="Rounds"/> more rounds of the clock (a step), whichever comes first.
/// </summary>
public sealed record PausePoint(long AtNs, int? Rounds = null);

/// <summary>Go on with a paused run, to the next pause point (null: to the end).</summary>
public sealed record ContinueSimulation(PausePoint? Pause) : ISimMessage;

/// <summary>Stop at the end of the current round, as if the workload had ended there, with
/// <paramref name="Reason"/> as the outcome's incomplete reason (Ctrl-C, SIGTERM).</summary>
public sealed record StopSimulation(string Reason) : ISimMessage;

/// <summary>The run's end: every node's state and how the clock advanced.</summary>
public sealed record SimulationOutcome(
    IReadOnlyList<NodeState> Nodes,
    long SimulatedNs,
    long Rounds,
    double BootSeconds,
    string? IncompleteReason) : ISimMessage
{
    /// <summary>Why the simulated kernel panicked, when it did.</summary>
    public string? Panic { get; init; }

    /// <summary>The run stopped at a pause point and waits for <see cref="ContinueSimulation"/>.</summary>
    public bool Paused { get; init; }

    /// <summary>Component windows run over all rounds (not in summary.json: `numasim bench` reports them per round).</summary>
    public long Windows { get; init; }
}
