using System.Text.Json.Nodes;
using NumaSim.EndToEnd.Tests.Support;
using NumaSim.Formats.Output;

namespace NumaSim.EndToEnd.Tests;

/// <summary>
/// Every shipped scenario runs on the smallest shipped machine (single-node: 1 node, 2 CPUs, the reference
/// machine) and on the largest (eight-node-1tib: 8 nodes of 16 CPUs, 1 TiB) through the real CLI. On the 1 TiB
/// machine they take about a minute together (kmalloc-storm alone 20 s on 128 CPUs); PortableScenarioTests
/// loads every scenario on every shipped topology besides.
/// A scenario is also named by its shipped name, as a topology is.
/// </summary>
public sealed class ShippedScenarioTests
{
    private static readonly string[] AllScenarios =
        ["default", "first-touch", "interleave", "throughput", "kmalloc-storm", "slab-debug", "atomic-pressure", "fragmentation", "terabyte", "scale",
         "page-cache", "kswapd", "oom", "numa-balancing", "cxl-tiering"];

    public static TheoryData<string, string, int> Runs
    {
        get
        {
            var runs = new TheoryData<string, string, int>();
            foreach (var scenario in AllScenarios)
            {
                runs.Add(scenario, "single-node", 1);
            }
            foreach (var scenario in AllScenarios)
            {
                runs.Add(scenario, "eight-node-1tib", 8);
            }
            return runs;
        }
    }

    [Fact]
    public void Every_shipped_scenario_is_in_the_list_run_here()
    {
        var shipped = Directory.EnumerateFiles(Path.Combine(CliRunner.RepoRoot, "config", "scenarios"), "*.conf")
            .Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(shipped, AllScenarios.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void A_shipped_scenario_runs_on_another_machine(string scenario, string topology, int nodes)
    {
        using var dir = new TempDirectory();

        var run = CliRunner.Run(dir.Path, "run", scenario, "--topology", topology, "--out", "out", "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        var summary = OutputTree.Summary(dir["out"]);
        Assert.Equal(scenario, (string?)summary["scenario"]);
        Assert.True((long)summary["operations"]! > 0, run.ToString());
        Assert.True((long)summary["simulated_ns"]! > 0, run.ToString());
        Assert.Equal(nodes, summary["numastat"]!.AsObject().Count);
        var hardware = File.ReadAllLines(dir["out/numactl-hardware.txt"]);
        Assert.StartsWith($"available: {nodes} nodes (", hardware[0], StringComparison.Ordinal);
        Assert.Empty(LinuxLayoutCheck.Problems(CliRunner.ReferenceProcfs, dir["out"]));
        // The machine's CPUs all exist in its files, and the work ran on them: some node hit.
        var hits = summary["numastat"]!.AsObject().Sum(n => (long)n.Value!["numa_hit"]!);
        Assert.True(hits > 0, $"no numa_hit on any node\n{summary.ToJsonString()}");
    }

    [Fact]
    public void A_shipped_scenario_by_name_is_the_file_of_that_name()
    {
        using var dir = new TempDirectory();

        var byName = CliRunner.Run(dir.Path, "run", "first-touch", "--topology", "two-socket", "--out", "a", "--quiet");
        var byPath = CliRunner.Run(dir.Path, "run", Path.Combine(CliRunner.RepoRoot, "config", "scenarios", "first-touch.conf"),
            "--topology", Path.Combine(CliRunner.RepoRoot, "config", "topologies", "two-socket.conf"), "--out", "b", "--quiet");

        Assert.True(byName.ExitCode == 0, byName.ToString());
        Assert.True(byPath.ExitCode == 0, byPath.ToString());
        Assert.Equal(OutputTree.ReproducibleSummary(dir["b"]).ToJsonString(), OutputTree.ReproducibleSummary(dir["a"]).ToJsonString());
        foreach (var file in new[] { "proc/vmstat", "proc/buddyinfo", "proc/zoneinfo", "numactl-hardware.txt" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(dir["b"], file)), File.ReadAllText(Path.Combine(dir["a"], file)));
        }
    }

    [Fact]
    public void Proc_takes_a_shipped_name_too()
    {
        using var dir = new TempDirectory();

        var proc = CliRunner.Run(dir.Path, "proc", "hardware", "fragmentation", "--topology", "four-node");

        Assert.True(proc.ExitCode == 0, proc.ToString());
        Assert.StartsWith("available: 4 nodes (0-3)", proc.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_in_the_default_scenario_names_the_users_config_folder_not_a_copy()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir["config/topologies"]);
        Directory.CreateDirectory(dir["config/scenarios"]);
        dir.Write("config/scenarios/default.conf", "numasim {\n  workload.streams = [ { cpus = \"5\", operations = 1, mix = [ { order = 0 } ] } ]\n}\n");

        var run = CliRunner.Run(dir.Path, "run", "--topology", Path.Combine(CliRunner.RepoRoot, "config", "topologies", "single-node.conf"), "--quiet", "--out", "out");

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith($"numasim: {Path.Combine("config", "scenarios", "default.conf")}:2: numasim.workload.streams[0].cpus: CPU 5 is not in the topology (CPUs 0-1)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_name_lists_the_shipped_ones()
    {
        using var dir = new TempDirectory();

        var run = CliRunner.Run(dir.Path, "run", "first-tuoch", "--quiet");

        Assert.True(run.ExitCode == 2, run.ToString());
        var line = Assert.Single(run.StderrLines);
        Assert.StartsWith("numasim: first-tuoch: no such file, nor a shipped scenario (shipped scenarios: ", line, StringComparison.Ordinal);
        Assert.Contains("first-touch", line, StringComparison.Ordinal);
    }
}
