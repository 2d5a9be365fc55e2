using System.Text.Json;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>
/// Demotion and the splitting of huge folios for swap cross every actor boundary a run has (a kswapd asks another
/// node's zone for pages and the task's CPU to remap them or split them, a CPU and the page cache move a page-cache
/// folio, a CPU splits a zone's block), so the fidelity experiments that exercise them, which no shipped scenario
/// covers, must give the same outputs on one process and on two, as GoldenOutputTests asks of the shipped scenarios.
/// </summary>
public sealed class ReclaimDeterminismTests
{
    [Theory]
    [InlineData("demotion")]
    [InlineData("demotion-file")]
    [InlineData("demotion-thp")]
    public void The_demotion_experiment_writes_the_same_outputs_on_one_process_and_on_two(string name)
    {
        var vmstat = RunOnOneAndTwo(name);
        Assert.True(vmstat["pgdemote_kswapd"] + vmstat["pgdemote_direct"] > 0, "the run demotes");
    }

    [Fact]
    public void Huge_pages_under_swap_write_the_same_outputs_on_one_process_and_on_two()
    {
        var vmstat = RunOnOneAndTwo("swap-thp");
        Assert.True(vmstat["thp_swpout_fallback"] > 0, "the run splits huge folios for swap");
    }

    // Runs config/fidelity/NAME.conf on one process and on two, asserts the outputs are the same, and returns the
    // first run's vmstat.
    private static Dictionary<string, long> RunOnOneAndTwo(string name)
    {
        var scenario = Path.Combine(CliRunner.RepoRoot, "config", "fidelity", name + ".conf");
        using var dir = new TempDirectory();
        foreach (var processes in new[] { "1", "2" })
        {
            var run = CliRunner.RunWithTimeout(dir.Path, TimeSpan.FromMinutes(3), "run", scenario, "--processes", processes, "--out", "out" + processes, "--quiet");
            Assert.True(run.ExitCode == 0, run.ToString());
        }

        var one = OutputTree.Files(dir["out1"]).Where(f => !f.EndsWith(".png", StringComparison.Ordinal)).ToList();
        Assert.Equal(one, OutputTree.Files(dir["out2"]).Where(f => !f.EndsWith(".png", StringComparison.Ordinal)).ToList());
        foreach (var file in one)
        {
            Assert.True(Text(dir["out1"], file) == Text(dir["out2"], file), $"{file} differs between one process and two");
        }
        return File.ReadAllLines(Path.Combine(dir["out1"], "proc", "vmstat")).Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Text(string root, string file) => file == "summary.json"
        ? OutputTree.ReproducibleSummary(root).ToJsonString(new JsonSerializerOptions { WriteIndented = true })
        : File.ReadAllText(Path.Combine(root, file));
}
