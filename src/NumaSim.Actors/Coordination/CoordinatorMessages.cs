using NumaSim.Actors.Messages;

namespace NumaSim.Actors.Coordination;

/// <summary>Start the run; the coordinator answers with <see cref="SimulationOutcome"/> when it ends.</summary>
public sealed record StartSimulation : ISimMessage
{
    public static StartSimulation Instance { get; } = new();
}

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
}
