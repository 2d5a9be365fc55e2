using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>Issue 19: input that is legal but extreme gets the kernel's answer, never a silently wrong one.</summary>
public sealed class HostileInputTests
{
    private const long LongMax = long.MaxValue;

    private static long Get(JsonNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node?[key];
        }
        return node?.GetValue<long>() ?? throw new InvalidOperationException($"{string.Join('.', path)} missing");
    }

    [Fact]
    public void Kmalloc_and_vmalloc_of_2_63_minus_1_bytes_fail_as_the_kernel_does()
    {
        using var dir = new TempDirectory();
        dir.Write("k.conf", $$"""
            numasim {
              seed = 1
              topology {
                nodes = [ { id = 0, cpus = "0-1", memory = 64M } ]
                distance = [[10]]
              }
              workload.script = [
                { at = 1us, cpu = 0, do = kmalloc, name = "huge", size = {{LongMax}} }
                { at = 2us, cpu = 0, do = kmalloc, name = "max", size = 4M }
                { at = 3us, cpu = 0, do = vmalloc, name = "v", size = {{LongMax}} }
              ]
            }
            """);

        var run = CliRunner.Run(dir.Path, "run", "k.conf", "--out", "out", "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        // __vmalloc_node_range refuses a size beyond totalram before it reserves anything; kmalloc fails silently.
        Assert.Equal($"[    0.000003] vmalloc error: size {LongMax}, exceeds total pages", Assert.Single(run.StderrLines));
        var summary = OutputTree.Summary(dir["out"]);
        Assert.True(summary["complete"]!.GetValue<bool>());
        // KMALLOC_MAX_SIZE (4 MiB) is served; 2^63 - 1 does not wrap into a small order.
        Assert.Equal((3, 2), (Get(summary, "kernel", "allocations"), Get(summary, "kernel", "failed")));
    }

    [Fact]
    public void A_traced_kmalloc_of_2_63_minus_1_bytes_fails_in_the_model()
    {
        using var dir = new TempDirectory();
        dir.Write("t.txt", "# tracer: nop\n#\n"
            + $"            bash-1234    [000] d..1. 1.000000: kmalloc: call_site=f+0x1/0x2 ptr=ffff888100a1b2c0 bytes_req={LongMax} bytes_alloc={LongMax} gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
            + "            bash-1234    [000] d..1. 1.000001: kmalloc: call_site=f+0x1/0x2 ptr=ffff888100a1c000 bytes_req=4194304 bytes_alloc=4194304 gfp_flags=GFP_KERNEL node=-1 accounted=false\n");

        var run = CliRunner.Run(dir.Path, "replay", "t.txt", "--out", "out", "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.StderrLines);
        var trace = OutputTree.Summary(dir["out"])["trace"];
        Assert.Equal((2, 1, 0), (Get(trace, "object_allocs"), Get(trace, "object_alloc_failures"), Get(trace, "fidelity", "bytes_alloc_mismatches")));
    }

    /// <summary>The shipped trace cut in half: gzip -t fails on it, as on a copy interrupted mid-transfer.</summary>
    private static void WriteTruncatedTrace(TempDirectory dir, string name)
    {
        var whole = File.ReadAllBytes(Path.Combine(CliRunner.RepoRoot, "tests", "data", "traces", "kmem.txt.gz"));
        File.WriteAllBytes(dir[name], whole[..(whole.Length / 2)]);
    }

    [Fact]
    public void A_truncated_gzip_trace_is_exit_2_naming_the_file_and_writes_no_tree()
    {
        using var dir = new TempDirectory();
        WriteTruncatedTrace(dir, "cut.txt.gz");

        var run = CliRunner.Run(dir.Path, "replay", "cut.txt.gz", "--out", "out", "--quiet");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Matches(@"^numasim: cut\.txt\.gz:\d+: cannot read: gzip data is truncated or corrupt", Assert.Single(run.StderrLines));
        Assert.False(Directory.Exists(dir["out"]), run.ToString());
    }

    [Fact]
    public void A_truncated_gzip_trace_with_lenient_is_a_run_marked_incomplete_with_the_reason()
    {
        using var dir = new TempDirectory();
        WriteTruncatedTrace(dir, "cut.txt.gz");

        var run = CliRunner.Run(dir.Path, "replay", "cut.txt.gz", "--out", "out", "--quiet", "--lenient");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Matches(@"^numasim: replay incomplete: trace ends early: cut\.txt\.gz:\d+: cannot read: gzip data is truncated", Assert.Single(run.StderrLines));
        var summary = OutputTree.Summary(dir["out"]);
        Assert.False(summary["complete"]!.GetValue<bool>());
        Assert.StartsWith("trace ends early: cut.txt.gz:", summary["incomplete_reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(File.Exists(dir["out/proc/slabinfo"]), "the events before the cut were replayed and written");
    }

    [Fact]
    public void A_trace_line_without_end_stops_at_the_cap_with_exit_2()
    {
        using var dir = new TempDirectory();
        using (var gz = new GZipStream(File.Create(Path.Combine(dir.Path, "endless.gz")), CompressionLevel.Fastest))
        {
            var chunk = Encoding.ASCII.GetBytes(new string('x', 1 << 16));
            for (var i = 0; i < 64; i++)
            {
                gz.Write(chunk);
            }
        }

        var run = CliRunner.Run(dir.Path, "replay", "endless.gz", "--out", "out", "--quiet");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal("numasim: endless.gz:1: cannot read: a line longer than 1048576 characters: not an ftrace text trace", Assert.Single(run.StderrLines));
        Assert.False(Directory.Exists(dir["out"]), run.ToString());
    }

    private const string OneNode = """topology { nodes = [ { id = 0, cpus = "0", memory = 64M } ], distance = [[10]] }""";

    [Theory]
    [InlineData("workload.tasks = []")]
    [InlineData("workload.streams = []")]
    [InlineData("workload.faults = []")]
    [InlineData("cluster.placement = []")]
    public void A_documented_empty_default_is_accepted(string setting)
    {
        using var dir = new TempDirectory();
        dir.Write("d.conf", $"numasim {{\n  {OneNode}\n  {setting}\n}}\n");

        var run = CliRunner.Run(dir.Path, "run", "d.conf", "--out", "out", "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.StderrLines);
        Assert.True(OutputTree.Summary(dir["out"])["complete"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("seed = ${NUMASIM_TEST_SEED}", "42", 42)]
    [InlineData("seed = 5\n  seed = ${?NUMASIM_TEST_SEED}", "43", 43)]
    [InlineData("seed = 5\n  seed = ${?NUMASIM_TEST_SEED}", null, 5)]
    public void Substitutions_fall_back_to_the_environment_as_HOCON_says(string setting, string? value, long seed)
    {
        using var dir = new TempDirectory();
        dir.Write("e.conf", $"numasim {{\n  {OneNode}\n  {setting}\n}}\n");
        var environment = value is null ? null : new Dictionary<string, string> { ["NUMASIM_TEST_SEED"] = value };

        var run = CliRunner.RunProgram("dotnet", [CliRunner.CliDll, "run", "e.conf", "--out", "out", "--quiet"], dir.Path, CliRunner.DefaultTimeout, environment: environment);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Empty(run.StderrLines);
        Assert.Equal(seed, OutputTree.Summary(dir["out"])["seed"]!.GetValue<long>());
    }
}
