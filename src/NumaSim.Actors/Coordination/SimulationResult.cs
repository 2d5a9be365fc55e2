using NumaSim.Model.Snapshots;

namespace NumaSim.Actors.Coordination;

/// <summary>A finished run: the machine's final state and the run's summary.</summary>
public sealed record SimulationResult(MachineSnapshot Machine, RunSummary Summary);
