using NumaSim.Model.Snapshots;
using NumaSim.Results;

namespace NumaSim.Replay;

/// <summary>A finished replay: the machine as the output tree prints it, and summary.json's figures.</summary>
public sealed record ReplayResult(MachineSnapshot Machine, RunSummary Summary);
