using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;
using NumaSim.Model.Slab;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Workloads.Scenarios;
using NumaSim.Results;

namespace NumaSim.Actors.Coordination;

/// <summary>Runs a scenario on an actor system in this process and folds the actors' states into the outputs.</summary>
public static class SimulationRunner
{
    /// <summary>summary.json keeps the first errors in simulated time; a storm of reports would drown the rest.</summary>
    private const int MaxErrors = 1000;

    /// <summary>The actor-system settings of every run; a cluster run layers its remoting and cluster settings over them.</summary>
    public static Config ActorSystemConfig { get; } = ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          actor.default-dispatcher.throughput = 100
        }
        """);

    /// <param name="observers">Called between rounds with the whole machine as it stands (metrics, the report's timeline).</param>
    /// <param name="interrupt">Stops the run at the end of the current round with the outcome marked
    /// <see cref="InterruptedReason"/> (where <paramref name="cancel"/> abandons it).</param>
    public static async Task<SimulationResult> RunAsync(
        Scenario scenario,
        Action<SimProgress>? progress = null,
        CancellationToken cancel = default,
        SlabinfoFeed? liveSlabs = null,
        RunObservers? observers = null,
        CancellationToken interrupt = default)
    {
        using var system = ActorSystem.Create("numasim", ActorSystemConfig);
        try
        {
            return await RunOnAsync(system, scenario, null, null, progress, cancel, liveSlabs, observers, interrupt).ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    /// <summary>The incomplete reason of a run stopped by its interrupt token.</summary>
    public const string InterruptedReason = "interrupted";

    /// <summary>
    /// Runs a scenario on an actor system the caller owns (a TestKit's, whose probes may listen to the
    /// scenario's observations); the simulation's actors are stopped when it ends, the system is left running.
    /// </summary>
    public static Task<SimulationResult> RunAsync(
        ActorSystem system,
        Scenario scenario,
        Action<SimProgress>? progress = null,
        CancellationToken cancel = default,
        SlabinfoFeed? liveSlabs = null,
        RunObservers? observers = null) =>
        RunOnAsync(system, scenario, null, null, progress, cancel, liveSlabs, observers);

    /// <summary>
    /// Runs on an actor system the caller owns. <paramref name="nodes"/> are NodeActors already
    /// hosted (on cluster members) and <paramref name="members"/> says which process holds which;
    /// when null, the coordinator creates every node here.
    /// </summary>
    public static async Task<SimulationResult> RunOnAsync(
        ActorSystem system,
        Scenario scenario,
        IReadOnlyDictionary<int, IActorRef>? nodes,
        IReadOnlyList<MemberInfo>? members,
        Action<SimProgress>? progress = null,
        CancellationToken cancel = default,
        SlabinfoFeed? liveSlabs = null,
        RunObservers? observers = null,
        CancellationToken interrupt = default)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(scenario);
        var wall = Stopwatch.StartNew();
        var setup = scenario.AllocatorSetup();
        var everyMember = members ?? LocalMembers(scenario);
        var coordinator = system.ActorOf(
            CoordinatorActor.Props(scenario, setup, progress, liveSlabs, nodes, observers, o => Fold(scenario, o, wall.Elapsed.TotalSeconds, everyMember)));
        using var stop = interrupt.Register(() => coordinator.Tell(new StopSimulation(InterruptedReason)));
        try
        {
            var outcome = await coordinator.Ask<SimulationOutcome>(StartSimulation.Instance, Timeout.InfiniteTimeSpan, cancel).ConfigureAwait(false);
            return Fold(scenario, outcome, wall.Elapsed.TotalSeconds, everyMember);
        }
        finally
        {
            system.Stop(coordinator);
        }
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<(long Ns, long Count)>> ByNodePair(IEnumerable<Messages.CpuState> cpus)
    {
        var pairs = new LatencyRecorder();
        foreach (var snapshot in cpus.Select(c => c.LatencyByNodePair).OfType<Messages.LatencySnapshot>())
        {
            snapshot.AddTo(pairs);
        }
        return pairs.Distributions();
    }

    /// <summary>Every node in this process.</summary>
    internal static IReadOnlyList<MemberInfo> LocalMembers(Scenario scenario) =>
        [new MemberInfo(Environment.ProcessId, "akka://numasim", [.. scenario.Topology.Nodes.Select(n => n.Id)])];

    // The zone_stat_item deltas for one zone, of the CPUs and the kernel services.
    private static Counters<ZoneStatItem> ZoneStats(IEnumerable<IReadOnlyList<Counters<ZoneStatItem>>> parts, int zone) =>
        Counters<ZoneStatItem>.Sum(parts.Where(part => zone < part.Count).Select(part => part[zone]));

    internal static SimulationResult Fold(Scenario scenario, SimulationOutcome outcome, double wallSeconds, IReadOnlyList<MemberInfo> members)
    {
        var cpus = outcome.Nodes.SelectMany(n => n.Cpus).OrderBy(c => c.Report.Cpu).ToList();
        var slabs = outcome.Nodes.SelectMany(n => n.Slabs).OrderBy(s => s.Cpu).ToDictionary(s => s.Cpu);
        var services = outcome.Nodes.SelectMany(n => n.Services).OrderBy(s => s.Component).ToList();
        var zoneStats = cpus.Select(c => c.ZoneStats).Concat(services.Select(s => s.ZoneStats)).ToList();
        var machine = SnapshotAssembler.Assemble(
            scenario.Topology,
            outcome.Nodes.SelectMany(n => n.Zones).Select(z => z.Snapshot with { Stats = ZoneStats(zoneStats, ZoneIndex.Of(z.Snapshot.Node, z.Snapshot.Type)) }),
            [.. cpus.Select(c => slabs.TryGetValue(c.Report.Cpu, out var slab) ? c.Report.Plus(slab.Pages) : c.Report)],
            slabs.Count > 0 ? SlabinfoSum.Of(slabs.Values.SelectMany(s => s.Caches)) : KmallocCaches.Empty(scenario.Topology.Arch.PageSize, scenario.Topology.CpuCount),
            NodeStatDeltas.Sum(scenario.Topology.Nodes.Count, cpus.Select(c => c.NodeStats).Concat(slabs.Values.Select(s => s.NodeStats)).Concat(services.Select(s => s.NodeStats)))) with
        {
            Vmalloc = JoinVmalloc(scenario, slabs.Values),
        };
        machine = machine with
        {
            VmEvents = machine.VmEvents.Plus(Counters<VmEventItem>.Sum(services.Select(s => s.Events))),
            SwapFreePages = services.Select(s => s.SwapFreePages).FirstOrDefault(free => free is not null),
        };
        var latency = new LatencyRecorder();
        foreach (var snapshot in cpus.Select(c => c.Latency).Concat(slabs.Values.Select(s => s.Latency)))
        {
            snapshot.AddTo(latency);
        }
        var errors = cpus.SelectMany(c => c.Errors).Concat(slabs.Values.SelectMany(s => s.Errors))
            .OrderBy(e => e.SimulatedNs).ThenBy(e => e.Cpu).Take(MaxErrors);
        var summary = new RunSummary(
            scenario.Name,
            scenario.Seed,
            cpus.Sum(c => c.Operations) + slabs.Values.Sum(s => s.Operations),
            outcome.SimulatedNs,
            wallSeconds,
            outcome.BootSeconds,
            members,
            new TlbCounts(cpus.Sum(c => c.Tlb.Hits), cpus.Sum(c => c.Tlb.Misses)),
            latency.Stats(),
            [.. errors],
            new SimulationClockInfo(scenario.Latency.Lookahead, scenario.UsesQuantumWindows ? scenario.QuantumNs : 0, outcome.Rounds) { Windows = outcome.Windows },
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
                cpus.Sum(c => c.Mmu.Ipis) + slabs.Values.Sum(s => s.Ipis),
                cpus.Sum(c => c.Mmu.Migrations),
                cpus.Sum(c => c.Mmu.TlbEvictions)),
            Kernel = slabs.Count > 0 ? slabs.Values.Aggregate(KernelTotals.Zero, (sum, s) => sum.Add(s.Totals)) : null,
            Panic = outcome.Panic,
        };
        return new SimulationResult(machine, summary)
        {
            Cpus = [.. cpus.Select(c => new CpuCounters(c.Report.Cpu, scenario.Topology.NodeOfCpu(c.Report.Cpu), c.Tlb.Hits, c.Tlb.Misses, c.Mmu.Faults))],
            Traffic = Traffic(scenario, cpus),
            Latency = latency.Distributions(),
            LatencyByNodePair = ByNodePair(cpus),
            AllocationsByClass = [.. cpus.SelectMany(c => c.AllocationsByClass)
                .GroupBy(a => (a.Order, a.GfpClass))
                .OrderBy(g => g.Key.Order).ThenBy(g => g.Key.GfpClass, StringComparer.Ordinal)
                .Select(g => new AllocationClassCount(g.Key.Order, g.Key.GfpClass, g.Sum(a => a.Served), g.Sum(a => a.Failed)))],
        };
    }

    /// <summary>Memory accesses and stream allocations by the CPU's node (rows) and the page's node (columns).</summary>
    private static long[][] Traffic(Scenario scenario, IEnumerable<Messages.CpuState> cpus)
    {
        var nodes = scenario.Topology.Nodes.Count;
        var traffic = Enumerable.Range(0, nodes).Select(_ => new long[nodes]).ToArray();
        foreach (var cpu in cpus)
        {
            var row = traffic[scenario.Topology.NodeOfCpu(cpu.Report.Cpu)];
            for (var n = 0; n < cpu.AccessesByNode.Count; n++)
            {
                row[n] += cpu.AccessesByNode[n];
            }
        }
        return traffic;
    }

    /// <summary>The whole vmalloc range with every CPU's slice of it, or null when no CPU called vmalloc.</summary>
    private static VmallocSnapshot? JoinVmalloc(Scenario scenario, IEnumerable<Messages.SlabState> slabs)
    {
        var slices = slabs.Select(s => s.Vmalloc).OfType<VmallocSnapshot>().ToList();
        if (slices.Count == 0)
        {
            return null;
        }
        var range = Model.Vmalloc.VmallocRange.For(scenario.Topology.Arch);
        return new VmallocSnapshot(
            range.Start, range.End, slices[0].PageSize, slices[0].VmapNodes, slices.Sum(s => s.NrPages), [.. slices.SelectMany(s => s.Areas)]);
    }
}
