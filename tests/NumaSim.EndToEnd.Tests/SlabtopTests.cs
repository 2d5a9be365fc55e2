using NumaSim.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace NumaSim.EndToEnd.Tests;

/// <summary>`numasim slabtop` against procps-ng's slabtop, on the reference slabinfo and on a run's output tree.</summary>
public sealed class SlabtopTests(ITestOutputHelper output)
{
    private const int BadInput = 2;

    private static string ReferenceSlabinfo => Path.Combine(CliRunner.ReferenceProcfs, "slabinfo");

    /// <summary>Two kmalloc caches with objects (kmalloc-128 on node 0, kmalloc-64 on node 1), the rest empty.</summary>
    private const string TwoKmallocs = """
        numasim {
          seed = 1
          topology {
            nodes = [
              { id = 0, cpus = "0-1", memory = 1G }
              { id = 1, cpus = "2-3", memory = 1G }
            ]
            distance = [[10, 20], [20, 10]]
          }
          workload.script = [
            { at = 1us, cpu = 0, do = kmalloc, name = "a", size = 100 }
            { at = 2us, cpu = 0, do = kmalloc, name = "b", size = 64, node = 1 }
          ]
        }
        """;

    [Fact]
    public void Once_on_a_run_tree_lists_the_caches_with_objects_first()
    {
        using var dir = new TempDirectory();
        dir.Write("k.conf", TwoKmallocs);
        var run = CliRunner.Run(dir.Path, "run", "k.conf", "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());

        var top = CliRunner.Run(dir.Path, "slabtop", "--once", "out");

        Assert.True(top.ExitCode == 0, top.ToString());
        var lines = top.Stdout.Split('\n');
        Assert.Equal(" Active / Total Objects (% used)    : 96 / 96 (100.0%)", lines[0]);
        Assert.Equal(" Active / Total Slabs (% used)      : 2 / 2 (100.0%)", lines[1]);
        Assert.Equal("  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME                   ", lines[6]);
        // 64 objects of 64 bytes and 32 of 128 bytes, each in one order-0 slab (4 KiB pages on x86).
        Assert.Equal("    64     64 100%    0.06K      1       64         4K kmalloc-64             ", lines[7]);
        Assert.Equal("    32     32 100%    0.12K      1       32         4K kmalloc-128            ", lines[8]);
        Assert.Equal(File.ReadAllLines(dir["out/proc/slabinfo"]).Length - 2 + 7, lines.Length - 1);
        Assert.Equal(top.Stdout, CliRunner.Run(dir["out"], "slabtop", "-o", "--slabinfo", "proc/slabinfo").Stdout);
    }

    [FactWhenSlabtop]
    public void Once_prints_what_procps_slabtop_prints_for_the_reference_slabinfo_with_every_sort_letter()
    {
        using var dir = new TempDirectory();
        foreach (var letter in "abclvnopsu")
        {
            var real = RealSlabtop(dir, ReferenceSlabinfo, "--once", "--sort", letter.ToString());
            if (real is null)
            {
                return;
            }
            var ours = CliRunner.Run(dir.Path, "slabtop", "--once", "--slabinfo", ReferenceSlabinfo, "--sort", letter.ToString());
            Assert.True(ours.ExitCode == 0, ours.ToString());
            Assert.Equal(real, ours.Stdout);
        }
    }

    [FactWhenSlabtop]
    public void Once_on_a_run_tree_prints_what_procps_slabtop_prints_for_its_slabinfo()
    {
        using var dir = new TempDirectory();
        dir.Write("k.conf", TwoKmallocs);
        var run = CliRunner.Run(dir.Path, "run", "k.conf", "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());

        var real = RealSlabtop(dir, dir["out/proc/slabinfo"], "--once");
        if (real is null)
        {
            return;
        }
        var ours = CliRunner.Run(dir.Path, "slabtop", "--once", "out");
        Assert.True(ours.ExitCode == 0, ours.ToString());
        Assert.Equal(real, ours.Stdout);
    }

    [Fact]
    public void A_missing_slabinfo_is_bad_input_naming_the_file()
    {
        using var dir = new TempDirectory();

        var top = CliRunner.Run(dir.Path, "slabtop", "--once");

        Assert.Equal(BadInput, top.ExitCode);
        Assert.Equal(["numasim: numasim-out/proc/slabinfo: file not found"], top.StderrLines);
        Assert.Empty(top.Stdout);
    }

    [Fact]
    public void A_malformed_line_is_bad_input_naming_the_file_and_line()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("slabinfo", "slabinfo - version: 2.1\n# name\nok 1 1 8 512 1 : tunables 0 0 0 : slabdata 1 1 0\nbroken 1 1 8 512 1 : tunables 0 0 0\n");

        var top = CliRunner.Run(dir.Path, "slabtop", "--once", "--slabinfo", path);

        Assert.Equal(BadInput, top.ExitCode);
        var line = Assert.Single(top.StderrLines);
        Assert.StartsWith($"numasim: {path}:4: malformed slabinfo line for 'broken'", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--once", "--sort", "x")]
    [InlineData("--once", "--delay", "2")]
    [InlineData("--delay", "0")]
    [InlineData("out", "--slabinfo", "f", "--once")]
    public void Bad_options_are_bad_input_with_one_line(params string[] args)
    {
        using var dir = new TempDirectory();

        var top = CliRunner.Run(dir.Path, ["slabtop", .. args]);

        Assert.Equal(BadInput, top.ExitCode);
        Assert.Single(top.StderrLines);
    }

    [Fact]
    public void Without_once_it_keeps_redrawing_the_view_until_stopped()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("slabinfo", "slabinfo - version: 2.1\nkmalloc-64 32 64 64 64 1 : tunables 0 0 0 : slabdata 1 1 0\n");

        // No terminal here: every frame is the clear-screen sequence and the whole view; it runs until killed.
        var top = CliRunner.RunWithTimeout(dir.Path, TimeSpan.FromSeconds(10), "slabtop", "--slabinfo", path, "--delay", "1");

        Assert.True(top.TimedOut, top.ToString());
        var frame = "\u001b[H\u001b[2J Active / Total Objects (% used)    : 32 / 64 (50.0%)\n";
        Assert.Contains(frame, top.Stdout, StringComparison.Ordinal);
        Assert.Contains("    64     32  50%    0.06K      1       64         4K kmalloc-64             \n", top.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Real slabtop with <paramref name="slabinfo"/> bind-mounted over /proc/slabinfo; null when no mount namespace can be had.</summary>
    private string? RealSlabtop(TempDirectory dir, string slabinfo, params string[] args)
    {
        var result = CliRunner.RunProgram(
            CliRunner.Which("unshare")!,
            ["-m", "sh", "-c", "mount --make-rprivate / 2>/dev/null; mount --bind \"$0\" /proc/slabinfo && exec slabtop \"$@\"", slabinfo, .. args],
            dir.Path,
            TimeSpan.FromMinutes(1));
        if (result.ExitCode != 0 && (result.Stderr.Contains("Operation not permitted", StringComparison.Ordinal)
            || result.Stderr.Contains("Permission denied", StringComparison.Ordinal)))
        {
            // Root without CAP_SYS_ADMIN (an unprivileged container): nothing to compare against.
            output.WriteLine($"skipped: no private mount namespace here\n{result}");
            return null;
        }
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout;
    }
}
