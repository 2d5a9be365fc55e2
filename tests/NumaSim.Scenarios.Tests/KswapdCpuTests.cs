using NumaSim.Actors.Reclaim;

namespace NumaSim.Scenarios.Tests;

/// <summary>
/// kswapd runs on its node's CPUs (KswapdCpu): with an idle CPU on the node it reclaims beside the tasks; on a node
/// whose one CPU runs a task it shares that CPU with the task, each at half speed while kswapd balances the node.
/// Config: the topology's CPUs per node and where the workload runs; outputs: the run's simulated time.
/// </summary>
public sealed class KswapdCpuTests : NumaSimTestKit
{
    private static NumaScenario Machine(string node0Cpus) => NumaScenario.OnTopology($$"""
        nodes = [
          { id = 0, cpus = "{{node0Cpus}}", memory = 128M }
          { id = 1, cpus = "2", memory = 128M }
        ]
        distance = [[10, 21], [21, 10]]
        swap = 256M
        """).WithSeed(1).WithStepTask("0", """{ policy = "bind:0" }""", "{ touch = 192M }");

    [Fact]
    public void A_node_whose_one_cpu_runs_a_task_has_kswapd_share_it()
    {
        var busy = Machine("0").Build();
        Assert.Equal(0, KswapdCpu.Shared(busy, busy.Topology, 0));
        Assert.Equal(-1, KswapdCpu.Shared(busy, busy.Topology, 1));
        var idle = Machine("0-1").Build();
        Assert.Equal(-1, KswapdCpu.Shared(idle, idle.Topology, 0));
    }

    [Fact]
    public async Task Kswapd_sharing_the_task_s_cpu_slows_the_task_while_it_reclaims()
    {
        var shared = await RunAsync(Machine("0"));
        var ownCpu = await RunAsync(Machine("0-1"));

        Assert.True(shared.Complete, shared.IncompleteReason);
        Assert.True(ownCpu.Complete, ownCpu.IncompleteReason);
        Assert.True(ownCpu.Vmstat("pgsteal_kswapd") > 0, "kswapd reclaimed");
        // The task's faults while kswapd balances take twice their time on the shared CPU; with a CPU of its own,
        // kswapd takes nothing from the task.
        Assert.True(shared.SimulatedNs > ownCpu.SimulatedNs * 11 / 10, $"{shared.SimulatedNs} ns shared against {ownCpu.SimulatedNs} ns");
        Assert.Equal(0, shared.Vmstat("oom_kill"));
    }
}
