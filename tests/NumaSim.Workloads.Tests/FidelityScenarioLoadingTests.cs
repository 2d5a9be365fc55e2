using NumaSim.Workloads.Config;

namespace NumaSim.Workloads.Tests;

/// <summary>
/// Every scenario `numasim validate` is pointed at loads, with at least one task written as steps on a CPU of its machine:
/// config/fidelity (FidelityTests boot each under QEMU) and config/fidelity/other-machines (run by hand, docs/validation.md).
/// </summary>
public sealed class FidelityScenarioLoadingTests
{
    public static TheoryData<string> Files => [.. FileNames()];

    private static string[] FileNames() =>
        [.. Directory.EnumerateFiles(Path.Combine(ShippedConfig.Directory, "fidelity"), "*.conf", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(ShippedConfig.Directory, f))
            .Where(f => !f.EndsWith("fidelity-two-node.conf", StringComparison.Ordinal) && !f.EndsWith("fidelity-tiered.conf", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    [Fact]
    public void The_other_machines_are_there()
    {
        Assert.Contains(FileNames(), f => f.Contains("other-machines", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_fidelity_scenario_loads_with_tasks_written_as_steps(string file)
    {
        var scenario = ScenarioLoader.Load(Path.Combine(ShippedConfig.Directory, file));

        Assert.NotEmpty(scenario.Tasks);
        Assert.Contains(scenario.Tasks, t => t.Steps.Count > 0);
        var cpus = scenario.Topology.AllCpus.ToHashSet();
        Assert.All(scenario.Tasks.SelectMany(t => t.Cpus), cpu => Assert.Contains(cpu, cpus));
    }
}
