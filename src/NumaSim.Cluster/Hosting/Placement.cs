using NumaSim.Workloads.Scenarios;

namespace NumaSim.Cluster.Hosting;

/// <summary>
/// Which process holds which NUMA nodes: numasim.cluster.placement when given, else round-robin
/// (node i on process i mod N). Process 0 is the coordinator's.
/// </summary>
public static class Placement
{
    /// <exception cref="FormatException">The configured placement does not fit the run (bad input).</exception>
    public static IReadOnlyList<int[]> Plan(Scenario scenario, int processes)
    {
        var nodes = scenario.Topology.Nodes.Select(n => n.Id).Order().ToArray();
        if (processes > nodes.Length)
        {
            throw new FormatException($"--processes {processes}: the machine has only {nodes.Length} NUMA node(s), one process at least per node");
        }
        var configured = scenario.Cluster.Placement;
        IReadOnlyList<int[]> plan;
        if (configured.Count == 0)
        {
            plan = [.. Enumerable.Range(0, processes).Select(p => nodes.Where((_, i) => i % processes == p).ToArray())];
        }
        else if (configured.Count != processes)
        {
            throw new FormatException($"numasim.cluster.placement: {configured.Count} list(s) of nodes for --processes {processes}");
        }
        else
        {
            plan = [.. configured.Select(p => p.ToArray())];
        }
        var empty = plan.Select((p, i) => (p, i)).FirstOrDefault(x => x.p.Length == 0);
        if (empty.p is not null)
        {
            throw new FormatException($"numasim.cluster.placement: process {empty.i} holds no node");
        }
        CheckMigrations(scenario, plan);
        return plan;
    }

    /// <summary>A migrating task carries its state by reference: its CPUs must all be on one process.</summary>
    private static void CheckMigrations(Scenario scenario, IReadOnlyList<int[]> plan)
    {
        var processOfNode = plan.SelectMany((nodes, p) => nodes.Select(n => (n, p))).ToDictionary(x => x.n, x => x.p);
        foreach (var (task, index) in scenario.Tasks.Select((t, i) => (t, i)))
        {
            if (!task.Moves)
            {
                continue;
            }
            var processes = task.CpusVisited.Select(c => processOfNode[scenario.Topology.NodeOfCpu(c)]).Distinct().Count();
            if (processes > 1)
            {
                throw new FormatException($"numasim.workload.tasks[{index}]: its tasks migrate between CPUs placed on {processes} processes; "
                    + "place their nodes on one process (numasim.cluster.placement)");
            }
        }
    }
}
