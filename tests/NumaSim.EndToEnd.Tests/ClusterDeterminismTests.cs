using System.Text.Json.Nodes;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>`numasim run --processes N` starts real member processes; the outputs do not depend on N.</summary>
public sealed class ClusterDeterminismTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public void Four_node_scenario_gives_byte_identical_outputs_on_1_2_3_and_4_processes()
    {
        using var dir = new TempDirectory();
        var scenario = dir.Write("four.conf", ClusterScenarios.FourNode());
        foreach (var n in new[] { 1, 2, 3, 4 })
        {
            var run = CliRunner.RunWithTimeout(dir.Path, Timeout, "run", scenario, "--processes", n.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", $"p{n}", "--quiet");
            Assert.True(run.ExitCode == 0, run.ToString());
            // Under a loaded machine Akka may warn (a heartbeat sent late); nothing may fail. The one error let through is
            // Akka.Remote's for a connection another process closed first (EndpointDisassociatedException): members leave
            // and stop within bounded waits, and under load a peer may be gone before the last member's endpoint closes.
            // The run's exit code and outputs are what count, and they are held here.
            Assert.DoesNotContain(run.StderrLines.Where((l, i) => !DisassociatedAtExit(run.StderrLines, i)),
                l => l.Contains("[ERROR]", StringComparison.Ordinal) || l.StartsWith("numasim:", StringComparison.Ordinal));
        }

        var reference = dir["p1"];
        var files = OutputTree.Files(reference);
        Assert.Contains("proc/buddyinfo", files);
        Assert.Contains("proc/slabinfo", files);
        var summary = OutputTree.Summary(reference);
        Assert.True(summary["operations"]!.GetValue<long>() > 1000, summary.ToString());
        Assert.True(summary["mmu"]!["ipis"]!.GetValue<long>() > 0, "the scenario sends no IPIs: " + summary["mmu"]);
        foreach (var n in new[] { 2, 3, 4 })
        {
            var other = dir[$"p{n}"];
            Assert.Equal(files, OutputTree.Files(other));
            foreach (var file in files.Where(f => f != "summary.json"))
            {
                Assert.True(
                    File.ReadAllBytes(Path.Combine(reference, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(other, file))),
                    $"{file} differs between 1 and {n} processes");
            }
            var a = OutputTree.ReproducibleSummary(reference);
            var b = OutputTree.ReproducibleSummary(other);
            Assert.True(JsonNode.DeepEquals(a, b), $"summary.json differs between 1 and {n} processes:\n{a}\n---\n{b}");
        }

        // Round-robin: node i on process i mod 3, each member a process of its own.
        var members = OutputTree.Summary(dir["p3"])["members"]!.AsArray();
        Assert.Equal(3, members.Count);
        Assert.Equal([[0, 3], [1], [2]], members.Select(m => m!["nodes"]!.AsArray().Select(x => x!.GetValue<int>()).ToArray()).ToArray());
        Assert.Equal(3, members.Select(m => m!["pid"]!.GetValue<int>()).Distinct().Count());
        Assert.All(members, m => Assert.StartsWith("akka.ssl.tcp://numasim@127.0.0.1:", m!["address"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public void Placement_in_hocon_puts_the_nodes_on_the_processes_it_names_and_changes_no_output()
    {
        using var dir = new TempDirectory();
        var plain = dir.Write("plain.conf", ClusterScenarios.FourNode());
        var placed = dir.Write("placed.conf", ClusterScenarios.FourNode(cluster: "cluster { placement = [[2], [3, 0, 1]] }"));
        var one = CliRunner.RunWithTimeout(dir.Path, Timeout, "run", plain, "--out", "one", "--quiet");
        Assert.True(one.ExitCode == 0, one.ToString());
        var two = CliRunner.RunWithTimeout(dir.Path, Timeout, "run", placed, "--processes", "2", "--out", "two", "--quiet");
        Assert.True(two.ExitCode == 0, two.ToString());

        var members = OutputTree.Summary(dir["two"])["members"]!.AsArray();
        Assert.Equal([[2], [0, 1, 3]], members.Select(m => m!["nodes"]!.AsArray().Select(x => x!.GetValue<int>()).ToArray()).ToArray());
        Assert.Equal(File.ReadAllText(dir["one/proc/zoneinfo"]), File.ReadAllText(dir["two/proc/zoneinfo"]));
        var a = OutputTree.ReproducibleSummary(dir["one"]);
        var b = OutputTree.ReproducibleSummary(dir["two"]);
        a.Remove("scenario");
        b.Remove("scenario");
        Assert.True(JsonNode.DeepEquals(a, b), $"{a}\n---\n{b}");
    }

    [Fact]
    public void A_placement_that_does_not_fit_the_process_count_is_bad_input()
    {
        using var dir = new TempDirectory();
        var placed = dir.Write("placed.conf", ClusterScenarios.FourNode(cluster: "cluster { placement = [[2], [3, 0, 1]] }"));
        var run = CliRunner.RunWithTimeout(dir.Path, Timeout, "run", placed, "--processes", "3", "--out", "x", "--quiet");
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Single(run.StderrLines);
        Assert.Contains("numasim.cluster.placement", run.Stderr, StringComparison.Ordinal);
    }

    private static bool DisassociatedAtExit(IReadOnlyList<string> lines, int i) =>
        lines[i].Contains("[ERROR]", StringComparison.Ordinal) && i + 1 < lines.Count
        && lines[i + 1].Contains("EndpointDisassociatedException", StringComparison.Ordinal);
}
