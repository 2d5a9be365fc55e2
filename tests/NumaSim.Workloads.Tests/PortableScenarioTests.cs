using NumaSim.Model.Topology;
using NumaSim.Workloads.Config;

namespace NumaSim.Workloads.Tests;

/// <summary>
/// Every shipped scenario loads on every shipped topology (as `numasim run NAME --topology T` loads it), and
/// by its shipped name: its CPUs, policies and kmalloc_node nodes name this machine's, and some CPU has work.
/// The end-to-end tests run them; this covers all pairs in a second.
/// </summary>
public sealed class PortableScenarioTests
{
    public static TheoryData<string, string> Pairs
    {
        get
        {
            var pairs = new TheoryData<string, string>();
            foreach (var scenario in ShippedConfig.ScenarioNames)
            {
                foreach (var topology in ShippedConfig.TopologyNames)
                {
                    pairs.Add(scenario, topology);
                }
            }
            return pairs;
        }
    }

    [Fact]
    public void The_shipped_scenarios_and_topologies_are_found_by_name()
    {
        Assert.Contains("first-touch", ShippedConfig.ScenarioNames);
        Assert.Contains("single-node", ShippedConfig.TopologyNames);
        Assert.Contains("eight-node-1tib", ShippedConfig.TopologyNames);
        Assert.True(ShippedConfig.ScenarioNames.Count >= 9);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void A_shipped_scenario_loads_on_a_shipped_topology(string scenarioName, string topologyName)
    {
        var scenario = ScenarioLoader.Load(scenarioName, topologyName);
        var topology = ScenarioLoader.LoadTopologyFile(ShippedConfig.Topology(topologyName));

        Assert.Equal(scenarioName, scenario.Name);
        Assert.Equal(topology.Nodes.Count, scenario.Topology.Nodes.Count);
        var cpus = topology.AllCpus.ToHashSet();
        var used = scenario.Streams.SelectMany(s => s.Cpus)
            .Concat(scenario.Tasks.SelectMany(t => t.Cpus))
            .Concat(scenario.Kernel.Streams.SelectMany(k => k.Cpus))
            .Concat(scenario.Kernel.Script.Select(s => s.Cpu))
            .ToList();
        Assert.NotEmpty(used);
        Assert.All(used, cpu => Assert.Contains(cpu, cpus));
        Assert.All(scenario.Streams.SelectMany(s => s.Policy.Nodes).Concat(scenario.Tasks.SelectMany(t => t.Policy.Nodes)),
            node => Assert.InRange(node, 0, topology.Nodes.Count - 1));
        Assert.All(scenario.Kernel.Streams, k => Assert.InRange(k.Node, -1, topology.Nodes.Count - 1));
    }

    [Fact]
    public void On_their_own_machines_the_node_forms_name_the_cpus_the_scenarios_always_ran_on()
    {
        // The rewrite to node forms kept every shipped scenario's own run as it was: the same CPUs.
        Assert.Equal(CpuList("0-3,8-11"), ScenarioLoader.Load("first-touch").Tasks[0].Cpus);
        Assert.Equal(CpuList("3,11"), ScenarioLoader.Load("throughput").Tasks[1].Cpus);
        Assert.Equal(CpuList("4-5,12-13"), ScenarioLoader.Load("throughput").Streams[0].Cpus);
        Assert.Equal(CpuList("1-7,9-15"), ScenarioLoader.Load("slab-debug").Kernel.Streams[0].Cpus);
        Assert.Equal(CpuList("4-7"), ScenarioLoader.Load("default").Streams[1].Cpus);
        var storm = ScenarioLoader.Load("kmalloc-storm").Kernel.Streams[1];
        Assert.Equal(CpuList("4-7"), storm.Cpus);
        Assert.Equal(1, storm.Node);
        var pressure = ScenarioLoader.Load("atomic-pressure").Kernel;
        Assert.Equal(CpuList("2-3"), pressure.Streams[1].Cpus);
        Assert.Equal(3, pressure.Script[0].Cpu);
        Assert.Equal(CpuList("0-1,16-17,32-33,48-49,64-65,80-81,96-97,112-113"), ScenarioLoader.Load("terabyte").Streams[0].Cpus);
    }

    [Fact]
    public void On_one_node_of_two_cpus_the_places_past_the_end_fall_on_its_last_cpu()
    {
        var pressure = ScenarioLoader.Load("atomic-pressure", "single-node").Kernel;
        Assert.Equal(CpuList("0-1"), pressure.Streams[0].Cpus);
        Assert.Equal(CpuList("1"), pressure.Streams[1].Cpus); // the interrupts win CPU 1 (the last stream naming a CPU wins)
        Assert.Equal(1, pressure.Script[0].Cpu);
        Assert.Equal(0, ScenarioLoader.Load("kmalloc-storm", "single-node").Kernel.Streams[1].Node);
    }

    private static IReadOnlyList<int> CpuList(string text) =>
        Model.Topology.CpuList.TryParse(text, out var ids) ? ids : throw new ArgumentException(text);
}
