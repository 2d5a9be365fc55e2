using NumaSim.Actors.Coordination;
using NumaSim.Cluster.Hosting;
using NumaSim.Model.Slab;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Workloads.Scenarios;
using NumaSim.Results;

namespace NumaSim.Cli.Commands;

/// <summary>What summary.json says of a run that lost a member: incomplete, why, and the members it had; no machine state.</summary>
internal static class PartialRun
{
    public static SimulationResult Summary(Scenario scenario, ClusterRunOutcome outcome)
    {
        var topology = scenario.Topology;
        var machine = SnapshotAssembler.Assemble(topology, [], [], KmallocCaches.Empty(topology.Arch.PageSize, topology.CpuCount));
        var summary = new RunSummary(
            scenario.Name,
            scenario.Seed,
            0,
            0,
            outcome.WallSeconds,
            0,
            outcome.Members,
            new TlbCounts(0, 0),
            new LatencyRecorder().Stats(),
            [],
            new SimulationClockInfo(scenario.Latency.Lookahead, scenario.UsesQuantumWindows ? scenario.QuantumNs : 0, 0),
            new AllocationTotals(0, 0, 0, 0, 0),
            outcome.Failure ?? "the run failed");
        return new SimulationResult(machine, summary);
    }
}
