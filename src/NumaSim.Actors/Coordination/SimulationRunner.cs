using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Coordination;

/// <summary>Runs a scenario on an actor system in this process and folds the actors' states into the outputs.</summary>
public static class SimulationRunner
{
    private static readonly Config ActorSystemConfig = ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          actor.default-dispatcher.throughput = 100
        }
        """);

    public static async Task<SimulationResult> RunAsync(Scenario scenario, Action<SimProgress>? progress = null, CancellationToken cancel = default)
    {
        var wall = Stopwatch.StartNew();
        var setup = new PageAllocatorSetup(scenario.Topology);
        using var system = ActorSystem.Create("numasim", ActorSystemConfig);
        try
        {
            var coordinator = system.ActorOf(CoordinatorActor.Props(scenario, setup, progress), "coordinator");
            var outcome = await coordinator.Ask<SimulationOutcome>(StartSimulation.Instance, Timeout.InfiniteTimeSpan, cancel).ConfigureAwait(false);
            return Fold(scenario, outcome, wall.Elapsed.TotalSeconds);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    private static SimulationResult Fold(Scenario scenario, SimulationOutcome outcome, double wallSeconds)
    {
        var cpus = outcome.Nodes.SelectMany(n => n.Cpus).OrderBy(c => c.Report.Cpu).ToList();
        var machine = SnapshotAssembler.Assemble(
            scenario.Topology,
            outcome.Nodes.SelectMany(n => n.Zones).Select(z => z.Snapshot),
            [.. cpus.Select(c => c.Report)],
            KmallocCaches.Empty(scenario.Topology.Arch.PageSize, scenario.Topology.CpuCount),
            SumNodeStats(cpus));
        var latency = new LatencyRecorder();
        foreach (var cpu in cpus)
        {
            latency.Merge(cpu.Latency);
        }
        var summary = new RunSummary(
            scenario.Name,
            scenario.Seed,
            cpus.Sum(c => c.Operations),
            outcome.SimulatedNs,
            wallSeconds,
            outcome.BootSeconds,
            [new MemberInfo(Environment.ProcessId, "akka://numasim", [.. scenario.Topology.Nodes.Select(n => n.Id)])],
            new TlbCounts(cpus.Sum(c => c.Tlb.Hits), cpus.Sum(c => c.Tlb.Misses)),
            latency.Stats(),
            [.. cpus.SelectMany(c => c.Errors).OrderBy(e => e.SimulatedNs).ThenBy(e => e.Cpu).Take(100)],
            new SimulationClockInfo(scenario.Latency.Lookahead, scenario.UsesQuantumWindows ? scenario.QuantumNs : 0, outcome.Rounds),
            new AllocationTotals(
                cpus.Sum(c => c.Allocations),
                cpus.Sum(c => c.Served),
                cpus.Sum(c => c.Failed),
                cpus.Sum(c => c.Frees),
                cpus.Sum(c => c.RemoteServed)),
            outcome.IncompleteReason)
        {
            Mmu = new MmuTotals(
                cpus.Sum(c => c.Mmu.Faults),
                cpus.Sum(c => c.Mmu.Segfaults),
                cpus.Sum(c => c.Mmu.Shootdowns),
                cpus.Sum(c => c.Mmu.Ipis),
                cpus.Sum(c => c.Mmu.Migrations),
                cpus.Sum(c => c.Mmu.TlbEvictions)),
        };
        return new SimulationResult(machine, summary);
    }

    private static Dictionary<int, IReadOnlyDictionary<string, long>> SumNodeStats(IEnumerable<Messages.CpuState> cpus)
    {
        var sums = new SortedDictionary<int, SortedDictionary<string, long>>();
        foreach (var (node, stats) in cpus.SelectMany(c => c.NodeStats))
        {
            if (!sums.TryGetValue(node, out var mine))
            {
                sums[node] = mine = new SortedDictionary<string, long>(StringComparer.Ordinal);
            }
            CounterSums.AddAll(mine, stats);
        }
        return sums.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, long>)kv.Value);
    }
}
