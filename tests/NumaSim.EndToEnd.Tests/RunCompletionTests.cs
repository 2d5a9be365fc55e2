using System.Globalization;
using System.Text.RegularExpressions;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>The line a run ends with on standard error: where its results are and what it did, as summary.json says.</summary>
public sealed partial class RunCompletionTests
{
    [Fact]
    public void A_run_ends_with_its_output_directory_operations_simulated_and_wall_time()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run(dir.Path, "run", Path.Combine(CliRunner.RepoRoot, "config", "scenarios", "throughput.conf"), "--out", "tp");
        Assert.True(run.ExitCode == 0, run.ToString());

        var m = CompletionLine().Match(run.StderrLines[^1]);
        Assert.True(m.Success, run.ToString());
        var summary = OutputTree.Summary(dir["tp"]);
        Assert.Equal("tp/", m.Groups["dir"].Value);
        Assert.Equal(summary["operations"]!.GetValue<long>(), long.Parse(m.Groups["ops"].Value, CultureInfo.InvariantCulture));
        Assert.Equal((summary["simulated_ns"]!.GetValue<long>() / 1000.0).ToString("F3", CultureInfo.InvariantCulture), m.Groups["us"].Value);
        Assert.InRange(double.Parse(m.Groups["wall"].Value, CultureInfo.InvariantCulture), summary["wall_seconds"]!.GetValue<double>(), run.Elapsed.TotalSeconds);
    }

    [Fact]
    public void A_quiet_run_prints_no_completion_line()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run(dir.Path, "run", "--out", "q", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain(run.StderrLines, l => CompletionLine().IsMatch(l));
    }

    [GeneratedRegex(@"^numasim: wrote (?<dir>\S+): (?<ops>\d+) operations, (?<us>\d+\.\d{3}) us simulated, (?<wall>\d+\.\d{2}) s wall$")]
    private static partial Regex CompletionLine();
}
