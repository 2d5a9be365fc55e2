using System.Text.Json.Nodes;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

public sealed class DeterminismTests
{
    [Fact]
    public void Default_scenario_run_twice_gives_identical_files_except_wall_clock_fields()
    {
        using var dir = new TempDirectory();
        var first = CliRunner.Run(dir.Path, "run", "--out", "a", "--quiet");
        Assert.True(first.ExitCode == 0, first.ToString());
        var second = CliRunner.Run(dir.Path, "run", "--out", "b", "--quiet");
        Assert.True(second.ExitCode == 0, second.ToString());

        var a = dir["a"];
        var b = dir["b"];
        var files = OutputTree.Files(a);
        Assert.Equal(files, OutputTree.Files(b));
        Assert.Contains("summary.json", files);
        foreach (var file in files.Where(f => f != "summary.json"))
        {
            var bytesA = File.ReadAllBytes(Path.Combine(a, file));
            var bytesB = File.ReadAllBytes(Path.Combine(b, file));
            Assert.True(bytesA.AsSpan().SequenceEqual(bytesB), $"{file} differs between two runs of the default scenario");
        }

        Assert.Equal(42, OutputTree.Summary(a)["seed"]?.GetValue<long>());
        var summaryA = OutputTree.ReproducibleSummary(a);
        var summaryB = OutputTree.ReproducibleSummary(b);
        Assert.True(JsonNode.DeepEquals(summaryA, summaryB), $"summary.json differs beyond wall-clock fields and members:\n{summaryA}\n---\n{summaryB}");
    }

    [Fact]
    public void Another_seed_changes_vmstat_and_buddyinfo()
    {
        using var dir = new TempDirectory();
        var seed42 = CliRunner.Run(dir.Path, "run", "--seed", "42", "--out", "s42", "--quiet");
        Assert.True(seed42.ExitCode == 0, seed42.ToString());
        var seed7 = CliRunner.Run(dir.Path, "run", "--seed", "7", "--out", "s7", "--quiet");
        Assert.True(seed7.ExitCode == 0, seed7.ToString());

        Assert.Equal(7, OutputTree.Summary(dir["s7"])["seed"]?.GetValue<long>());
        // Where each allocation lands (numastat) follows the policies, which do not draw; the sizes, orders and
        // lifetimes do, so the free lists and the allocation counters differ.
        Assert.NotEqual(File.ReadAllText(dir["s42/proc/vmstat"]), File.ReadAllText(dir["s7/proc/vmstat"]));
        Assert.NotEqual(File.ReadAllText(dir["s42/proc/buddyinfo"]), File.ReadAllText(dir["s7/proc/buddyinfo"]));
        Assert.False(
            JsonNode.DeepEquals(OutputTree.Summary(dir["s42"])["latency_ns"], OutputTree.Summary(dir["s7"])["latency_ns"]),
            "summary.json latency_ns is the same for seeds 42 and 7");
    }
}
