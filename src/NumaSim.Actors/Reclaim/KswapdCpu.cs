using NumaSim.Model.Topology;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Reclaim;

/// <summary>
/// Where a node's kswapd runs. It is a kernel thread bound to its node's CPUs (kswapd_run: kthread_bind_mask to
/// cpumask_of_node), so it takes CPU time from them: woken, the scheduler puts it on an idle CPU of the node when
/// there is one (select_idle_sibling), and otherwise it shares a CPU with the task running there, each getting half
/// of it while both are runnable (the fair class). That is priced where it is certain: a node with one CPU, on which
/// a task or an allocation stream runs. On a node of several CPUs a task that ends leaves its CPU idle for kswapd,
/// which the CPUs do not tell each other, so kswapd is taken to have one there; a node without CPUs (a memory-only
/// node) has its kswapd on any CPU, which is not priced either.
/// </summary>
public static class KswapdCpu
{
    /// <summary>The CPU a node's kswapd shares with a task, or -1 when it has a CPU of its own (or none of the node's).</summary>
    public static int Shared(Scenario scenario, MachineTopology topology, int node)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(topology);
        var cpus = topology.Nodes[node].Cpus;
        return cpus.Count == 1 && Busy(scenario, cpus[0]) ? cpus[0] : -1;
    }

    private static bool Busy(Scenario scenario, int cpu) =>
        scenario.TasksStartingOn(cpu).Any() || scenario.StreamOf(cpu) is not null || scenario.Kernel.StreamOf(cpu) is not null;
}
