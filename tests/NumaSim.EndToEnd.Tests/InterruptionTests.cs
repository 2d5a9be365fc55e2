using System.Globalization;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>
/// Issue 19: Ctrl-C and SIGTERM stop a run at the next round; it writes its tree marked incomplete, stops its
/// members, removes its key material and exits 130 or 143.
/// </summary>
public sealed class InterruptionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>Two nodes and far more operations than a test waits for (minutes of wall time).</summary>
    private static string Long() => Scenarios.TwoNode(operations: 100_000_000);

    private static void Signal(int pid, string signal)
    {
        var kill = CliRunner.RunProgram("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)], "/", TimeSpan.FromSeconds(10));
        Assert.True(kill.ExitCode == 0, kill.ToString());
    }

    /// <summary>Waits until the run holds its output tree (its signal handling is in place by then).</summary>
    private static void WaitForStaging(TempDirectory dir, LiveCli run)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!Directory.EnumerateDirectories(dir.Path, ".out.*.staging").Any())
        {
            Assert.True(watch.Elapsed < Timeout && !run.HasExited, run.ToString());
            Thread.Sleep(50); // polling a real process's files, not simulated time
        }
    }

    /// <summary>
    /// One CPU allocating and freeing order-0 pages that live 5 us: its per-CPU list serves it all, so it never
    /// waits for a zone and nothing bounds its horizon.
    /// </summary>
    private static string Lone(long operations) => $$"""
        numasim {
          seed = 7
          topology = "two-socket"
          workload.streams = [
            { cpus = "0", operations = {{operations}}, think-time = 100ns, mix = [ { weight = 1, order = 0, gfp = "GFP_KERNEL", lifetime = 5us } ] }
          ]
        }
        """;

    private static string[] OwnLines(LiveCli run) =>
        [.. run.StderrLines.Where(l => !l.StartsWith("numasim: cluster", StringComparison.Ordinal))];

    [Theory]
    [InlineData("INT", 130, "SIGINT")]
    [InlineData("TERM", 143, "SIGTERM")]
    public void A_signal_stops_the_run_at_the_next_round_and_writes_its_tree_marked_interrupted(string signal, int exitCode, string name)
    {
        using var dir = new TempDirectory();
        dir.Write("long.conf", Long());
        using var run = new LiveCli(dir.Path, null, "run", "long.conf", "--out", "out", "--quiet");
        WaitForStaging(dir, run);

        Signal(run.Pid, signal);

        Assert.True(run.WaitForExit(Timeout), run.ToString());
        Assert.Equal(exitCode, run.ExitCode);
        Assert.Matches($@"^numasim: interrupted \({name}\): stopped at \d+ ns, the outputs in out are marked incomplete$", Assert.Single(OwnLines(run)));
        var summary = OutputTree.Summary(dir["out"]);
        Assert.False(summary["complete"]!.GetValue<bool>());
        Assert.Equal("interrupted", summary["incomplete_reason"]!.GetValue<string>());
        Assert.True(File.Exists(dir["out/proc/buddyinfo"]), run.ToString());
        Assert.Equal([".out.lock", "long.conf", "out"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_lone_stream_with_nothing_to_wait_for_still_stops_at_a_signal()
    {
        // Without a bound on a round's events the lone stream ran its whole workload (minutes here) in one round,
        // and a signal waited for the end of it.
        using var dir = new TempDirectory();
        dir.Write("lone.conf", Lone(1_000_000_000));
        using var run = new LiveCli(dir.Path, null, "run", "lone.conf", "--out", "out", "--quiet");
        WaitForStaging(dir, run);
        Thread.Sleep(3000); // let the real process get well into its run (wall time of a process, not simulated time)

        Signal(run.Pid, "INT");

        Assert.True(run.WaitForExit(Timeout), run.ToString());
        Assert.Equal(130, run.ExitCode);
        var summary = OutputTree.Summary(dir["out"]);
        Assert.Equal("interrupted", summary["incomplete_reason"]!.GetValue<string>());
        Assert.InRange(summary["operations"]!.GetValue<long>(), 1, 999_999_999);
    }

    [Fact]
    public void SIGTERM_to_a_clustered_run_stops_its_members_and_removes_its_key()
    {
        using var dir = new TempDirectory();
        dir.Write("long.conf", Long());
        using var run = new LiveCli(dir.Path, null, "run", "long.conf", "--out", "out", "--quiet", "--processes", "2");
        var hosted = LiveCli.Hosted(run.WaitForLine("numasim: ", Timeout, " hosted "));
        var keys = Path.Combine(Path.GetTempPath(), $"numasim-tls-{run.Pid}-");
        Assert.Single(Directory.EnumerateDirectories(Path.GetTempPath(), Path.GetFileName(keys) + "*"));

        Signal(run.Pid, "TERM");

        Assert.True(run.WaitForExit(Timeout), run.ToString());
        Assert.Equal(143, run.ExitCode);
        Assert.Single(OwnLines(run), l => l.StartsWith("numasim: interrupted (SIGTERM): stopped at ", StringComparison.Ordinal));
        Assert.Equal("interrupted", OutputTree.Summary(dir["out"])["incomplete_reason"]!.GetValue<string>());
        Assert.Empty(Directory.EnumerateDirectories(Path.GetTempPath(), Path.GetFileName(keys) + "*"));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (hosted.Any(h => h.Pid != run.Pid && LiveCli.Alive(h.Pid)) && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            Thread.Sleep(50); // polling real processes, not simulated time
        }
        Assert.DoesNotContain(hosted, h => h.Pid != run.Pid && LiveCli.Alive(h.Pid));
    }
}
