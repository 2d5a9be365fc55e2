using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>
/// Issue 19: the output tree is one transaction. A run killed while it writes, a second run on the same tree, a
/// location that cannot take a tree: the old tree or the new one is there, never a mix, and no stray file.
/// </summary>
public sealed class OutputTransactionTests
{
    private const string StopHook = "NUMASIM_TEST_STOP_AFTER_FILES";

    private static readonly TimeSpan HookTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Every file of a tree with its bytes.</summary>
    private static Dictionary<string, byte[]> Snapshot(string root) =>
        OutputTree.Files(root).ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(root, f)));

    private static string[] Siblings(TempDirectory dir) =>
        [.. Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Fact]
    public void A_run_killed_while_writing_leaves_the_old_tree_whole_and_the_next_run_removes_its_leftovers()
    {
        using var dir = new TempDirectory();
        dir.Write("s.conf", Scenarios.TwoNode());
        var first = CliRunner.Run(dir.Path, "run", "s.conf", "--out", "out", "--quiet");
        Assert.True(first.ExitCode == 0, first.ToString());
        var old = Snapshot(dir["out"]);

        using (var killed = new LiveCli(dir.Path, new Dictionary<string, string> { [StopHook] = "3" }, "run", "s.conf", "--seed", "8", "--out", "out", "--quiet"))
        {
            killed.WaitForLine("numasim: " + StopHook, HookTimeout);
            killed.Kill9();
            Assert.True(killed.WaitForExit(TimeSpan.FromSeconds(20)), killed.ToString());
            Assert.Equal(["numasim: NUMASIM_TEST_STOP_AFTER_FILES: stopped after 3 files"], killed.StderrLines.Where(l => !l.StartsWith("numasim: cluster", StringComparison.Ordinal)));
        }

        var left = Snapshot(dir["out"]);
        Assert.Equal(old.Keys, left.Keys);
        Assert.All(old, f => Assert.Equal(f.Value, left[f.Key]));
        Assert.Contains(Siblings(dir), s => s.EndsWith(".staging", StringComparison.Ordinal));

        var next = CliRunner.Run(dir.Path, "run", "s.conf", "--seed", "8", "--out", "out", "--quiet");
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Empty(next.StderrLines);
        Assert.Equal([".out.lock", "out", "s.conf"], Siblings(dir));
        Assert.Equal(8, OutputTree.Summary(dir["out"])["seed"]!.GetValue<long>());
        Assert.DoesNotContain(OutputTree.Files(dir["out"]), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void A_second_run_on_a_tree_being_written_is_refused_in_one_line_and_changes_nothing()
    {
        using var dir = new TempDirectory();
        dir.Write("s.conf", Scenarios.TwoNode());
        using var writing = new LiveCli(dir.Path, new Dictionary<string, string> { [StopHook] = "1" }, "run", "s.conf", "--out", "out", "--quiet");
        writing.WaitForLine("numasim: " + StopHook, HookTimeout);

        var second = CliRunner.Run(dir.Path, "run", "s.conf", "--out", "out", "--quiet");

        Assert.True(second.ExitCode == 5, second.ToString());
        Assert.Equal("numasim: --out out: another numasim run is writing it", Assert.Single(second.StderrLines));
        Assert.False(Directory.Exists(dir["out"]), "the tree appeared while the first run still writes it");
        writing.Kill9();
    }

    /// <summary>
    /// A full disk, as far as a process can make one without root: a file-size limit (ulimit -f, RLIMIT_FSIZE) below the
    /// tree's largest file, with SIGXFSZ ignored so that the write fails with EFBIG instead of killing the process.
    /// The runtime's W^X double mapping sizes a memory file, which the limit would refuse too, so it is off.
    /// </summary>
    [Fact]
    public void A_write_that_fails_midway_through_the_tree_is_exit_5_in_one_line_and_leaves_the_old_tree_whole()
    {
        using var dir = new TempDirectory();
        dir.Write("s.conf", Scenarios.TwoNode());
        var first = CliRunner.Run(dir.Path, "run", "s.conf", "--out", "out", "--quiet");
        Assert.True(first.ExitCode == 0, first.ToString());
        var old = Snapshot(dir["out"]);
        var largest = old.Values.Max(b => b.Length);
        // In 1024-byte blocks: the largest file cannot be written whole, smaller ones can.
        var limit = largest / 1024 - 1;
        Assert.True(old.Values.Count(b => b.Length < limit * 1024) > 1 && limit >= 16, $"no file-size limit fits this tree (largest file {largest} bytes)");

        var command = $"trap '' XFSZ; ulimit -f {limit}; exec {CliRunner.DotnetHost()} {CliRunner.CliDll} run s.conf --seed 8 --out out --quiet";
        var full = CliRunner.RunProgram("bash", ["-c", command], dir.Path, CliRunner.DefaultTimeout, environment: new Dictionary<string, string> { ["DOTNET_EnableWriteXorExecute"] = "0" });

        Assert.True(full.ExitCode == 5, full.ToString());
        Assert.Equal("numasim: --out out: cannot write here: File too large (EFBIG)", Assert.Single(full.StderrLines));
        var left = Snapshot(dir["out"]);
        Assert.Equal(old.Keys, left.Keys);
        Assert.All(old, f => Assert.Equal(f.Value, left[f.Key]));
        Assert.Equal([".out.lock", "out", "s.conf"], Siblings(dir));
    }

    [Theory]
    [InlineData("/proc/numasim-no-such-dir/out")]
    [InlineData("/sys/numasim-out")]
    public void An_output_location_that_cannot_be_written_is_exit_5_in_one_line_before_the_run(string outDir)
    {
        using var dir = new TempDirectory();
        dir.Write("s.conf", Scenarios.TwoNode());

        var run = CliRunner.Run(dir.Path, "run", "s.conf", "--out", outDir, "--quiet");

        Assert.True(run.ExitCode == 5, run.ToString());
        Assert.StartsWith($"numasim: --out {outDir}: cannot write here: ", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Equal(["s.conf"], Siblings(dir));
    }

    [Fact]
    public void An_empty_out_is_bad_input()
    {
        using var dir = new TempDirectory();
        dir.Write("s.conf", Scenarios.TwoNode());

        var run = CliRunner.Run(dir.Path, "run", "s.conf", "--out", "", "--quiet");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("numasim: --out: give a directory (an empty name would write into the current one)", Assert.Single(run.StderrLines));
        Assert.Equal(["s.conf"], Siblings(dir));
    }
}
