using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>`numasim replay TRACE`: the real CLI on hand-written ftrace kmem traces.</summary>
public sealed class ReplayTests
{
    private const int BadInput = 2;

    private const string Header = """
        # tracer: nop
        #
        # entries-in-buffer/entries-written: 9/9   #P:16
        #
        #           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
        #              | |         |   |||||     |         |
        """;

    /// <summary>Every kmem event, a free of memory allocated before the trace, and other events; 16 traced CPUs.</summary>
    private static readonly string[] Events =
    [
        "            bash-1234    [002] d..1. 12345.678901: kmalloc: call_site=load_elf_binary+0x1a2/0x1500 ptr=ffff888100a1b2c0 bytes_req=126 bytes_alloc=128 gfp_flags=GFP_KERNEL node=-1 accounted=false",
        "            bash-1234    [002] ...1. 12345.678950: kmem_cache_alloc: call_site=vm_area_alloc+0x1e/0x80 ptr=ffff888100b00000 name=vm_area_struct bytes_req=184 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=true",
        "            bash-1234    [010] ...1. 12345.679001: mm_page_alloc: page=ffffea00042a8cc0 pfn=0x10a2b3 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO",
        "            bash-1234    [010] ...1. 12345.679002: mm_page_alloc: page=ffffea00042a8d00 pfn=0x10a2b4 order=2 migratetype=0 gfp_flags=GFP_KERNEL",
        "            bash-1234    [003] ...1. 12345.679003: mm_page_alloc: page=ffffea00042a8e00 pfn=0x10a2c0 order=3 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE",
        "            bash-1234    [002] d..2. 12345.679100: sched_switch: prev_comm=bash prev_pid=1234 prev_prio=120 prev_state=S ==> next_comm=swapper/2 next_pid=0 next_prio=120",
        "          <idle>-0       [000] ..s1. 12345.680000: kfree: call_site=rcu_do_batch+0x1b8/0x4f0 ptr=ffff888100a1b2c0",
        "          <idle>-0       [000] ..s1. 12345.680010: kmem_cache_free: call_site=rcu_do_batch+0x1b8/0x4f0 ptr=ffff888100b00000 name=vm_area_struct",
        "     kworker/1:2-77      [001] ...1. 12345.681000: mm_page_free: page=ffffea00042a8cc0 pfn=0x10a2b3 order=0",
        "     kworker/1:2-77      [001] ...1. 12345.681500: mm_page_free: page=ffffea0000000040 pfn=0x1 order=0",
        "     kworker/1:2-77      [001] d.h1. 12345.682000: irq_handler_entry: irq=24 name=eth0",
    ];

    private static string TraceText(params string[] extra) => Header + "\n" + string.Join('\n', [.. Events, .. extra]) + "\n";

    private static string Topology(string name) => Path.Combine(CliRunner.RepoRoot, "config", "topologies", name + ".conf");

    private static CliResult Replay(TempDirectory dir, params string[] args)
    {
        var result = CliRunner.Run(dir.Path, ["replay", .. args]);
        return result;
    }

    [Fact]
    public void Replay_writes_the_output_tree_and_a_trace_summary()
    {
        using var dir = new TempDirectory();
        dir.Write("trace.txt", TraceText());

        var result = Replay(dir, "trace.txt", "--out", "out");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(result.Stderr);
        var files = OutputTree.Files(dir["out"]);
        foreach (var file in new[] { "proc/buddyinfo", "proc/pagetypeinfo", "proc/zoneinfo", "proc/slabinfo", "proc/vmstat",
                     "sys/devices/system/node/online", "sys/devices/system/node/node1/numastat", "numactl-hardware.txt", "summary.json" })
        {
            Assert.Contains(file, files);
        }
        var summary = OutputTree.Summary(dir["out"]);
        var trace = summary["trace"]!.AsObject();
        Assert.Equal(9, summary["operations"]!.GetValue<long>());
        Assert.Equal(2_599_000, summary["simulated_ns"]!.GetValue<long>());
        Assert.Equal((9, 2, 0), (trace["parsed"]!.GetValue<long>(), trace["skipped"]!.GetValue<long>(), trace["malformed"]!.GetValue<long>()));
        Assert.Equal(1, trace["by_event"]!["irq_handler_entry"]!.GetValue<long>());
        Assert.Equal(3, trace["by_event"]!["mm_page_alloc"]!.GetValue<long>());
        Assert.Equal((1, 1), (trace["frees_unmatched"]!.GetValue<long>(), trace["page_frees_unmatched"]!.GetValue<long>()));
        Assert.Equal("trace_cpu % 16", trace["cpu_map"]!.GetValue<string>());
        var fidelity = trace["fidelity"]!.AsObject();
        Assert.Equal(
            ["bytes_alloc_checked", "bytes_alloc_mismatches", "migratetype_checked", "migratetype_mismatches"],
            fidelity.Select(p => p.Key));
        Assert.Equal((1, 0, 3, 0), (fidelity["bytes_alloc_checked"]!.GetValue<long>(), fidelity["bytes_alloc_mismatches"]!.GetValue<long>(),
            fidelity["migratetype_checked"]!.GetValue<long>(), fidelity["migratetype_mismatches"]!.GetValue<long>()));
        Assert.Contains("vm_area_struct", File.ReadAllText(dir["out/proc/slabinfo"]), StringComparison.Ordinal);
        // Trace CPU 10 is on node 1 of the default two-socket machine: its two page allocations land there.
        Assert.StartsWith("numa_hit 2\n", File.ReadAllText(dir["out/sys/devices/system/node/node1/numastat"]), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> MalformedLines => new()
    {
        { "            bash-1234    [002] d..1. 12345.690000: kmalloc: call_site=x+0x1/0x2 ptr=ffff888100000200 bytes_req=12x bytes_alloc=16 gfp_flags=GFP_KERNEL node=-1 accounted=false", "kmalloc: bytes_req=12x is not a decimal number" },
        { "            bash-1234    [002] d..1. 12345.690000: kmem_cache_alloc: call_site=x+0x1/0x2 ptr=ffff888100000200 name=dentry bytes_req=192 gfp_flags=GFP_KERNEL node=-1", "kmem_cache_alloc: missing bytes_alloc=" },
        { "            bash-1234    [002] d..1. 12345.690000: kfree: call_site=x+0x1/0x2 ptr=nothex", "kfree: ptr=nothex is not a hexadecimal pointer" },
        { "            bash-1234    [002] d..1. 12345.690000: kmem_cache_free: call_site=x+0x1/0x2", "kmem_cache_free: missing ptr=" },
        { "            bash-1234    [002] d..1. 12345.690000: mm_page_alloc: page=ffffea0000000000 pfn=0x10 order=0 migratetype=1 gfp_flags=", "mm_page_alloc: gfp_flags= is empty" },
        { "            bash-1234    [002] d..1. 12345.690000: mm_page_free: page=ffffea0000000000 pfn=0x10 order=-1", "mm_page_free: order=-1 is out of range" },
        { "            bash-12x4    [002] d..1. 12345.690000: kfree: call_site=x+0x1/0x2 ptr=ffff888100000200", "kfree: not a 'TASK-PID [CPU] TIMESTAMP: EVENT: FIELDS' line" },
    };

    [Theory]
    [MemberData(nameof(MalformedLines))]
    public void A_malformed_kmem_line_exits_2_with_one_line_naming_file_line_and_field(string line, string problem)
    {
        using var dir = new TempDirectory();
        dir.Write("trace.txt", TraceText(line));
        var lineNumber = Header.Split('\n').Length + Events.Length + 1;

        var result = Replay(dir, "trace.txt", "--out", "out");

        Assert.True(result.ExitCode == BadInput, result.ToString());
        Assert.Equal([$"numasim: trace.txt:{lineNumber}: {problem}"], result.StderrLines);
        Assert.False(Directory.Exists(dir["out"]), "no output tree for bad input");

        var lenient = Replay(dir, "trace.txt", "--out", "out", "--lenient");

        Assert.True(lenient.ExitCode == 0, lenient.ToString());
        var trace = OutputTree.Summary(dir["out"])["trace"]!;
        Assert.Equal((9, 1), (trace["parsed"]!.GetValue<long>(), trace["malformed"]!.GetValue<long>()));
    }

    [Fact]
    public void Gzip_and_standard_input_give_the_same_replay_as_the_plain_file()
    {
        using var dir = new TempDirectory();
        var text = Encoding.UTF8.GetBytes(TraceText());
        File.WriteAllBytes(dir["trace.txt"], text);
        var gzip = Gzip(text);
        File.WriteAllBytes(dir["trace.txt.gz"], gzip);

        var runs = new[]
        {
            ("plain", CliRunner.Run(dir.Path, "replay", "trace.txt", "--out", "plain")),
            ("gz", CliRunner.Run(dir.Path, "replay", "trace.txt.gz", "--out", "gz")),
            ("stdin", CliRunner.RunWithInput(dir.Path, text, "replay", "-", "--out", "stdin")),
            ("stdin-gz", CliRunner.RunWithInput(dir.Path, gzip, "replay", "-", "--out", "stdin-gz")),
        };

        foreach (var (name, result) in runs)
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            var trace = OutputTree.Summary(dir[name])["trace"]!.AsObject();
            trace.Remove("source");
            Assert.True(JsonNode.DeepEquals(OutputTree.Summary(dir["plain"])["trace"]!.AsObject().Where(p => p.Key != "source").Aggregate(new JsonObject(), Add), trace), $"{name}: {trace}");
            Assert.Equal(OutputTree.SysNumastat(dir["plain"]), OutputTree.SysNumastat(dir[name]));
        }
        Assert.Equal("<stdin>", OutputTree.Summary(dir["stdin"])["trace"]!["source"]!.GetValue<string>());
    }

    [Fact]
    public void The_same_trace_on_another_topology_or_policy_gives_other_numastat()
    {
        using var dir = new TempDirectory();
        dir.Write("trace.txt", TraceText());

        var single = Replay(dir, "trace.txt", "--topology", Topology("single-node"), "--out", "single");
        var two = Replay(dir, "trace.txt", "--topology", Topology("two-socket"), "--out", "two");
        var interleave = Replay(dir, "trace.txt", "--topology", Topology("two-socket"), "--policy", "interleave", "--out", "interleave");

        Assert.True(single.ExitCode == 0, single.ToString());
        Assert.True(two.ExitCode == 0, two.ToString());
        Assert.True(interleave.ExitCode == 0, interleave.ToString());
        Assert.NotEqual(OutputTree.SysNumastat(dir["single"]), OutputTree.SysNumastat(dir["two"]));
        Assert.NotEqual(OutputTree.SysNumastat(dir["two"]), OutputTree.SysNumastat(dir["interleave"]));
        Assert.Equal(["node0"], OutputTree.Summary(dir["single"])["numastat"]!.AsObject().Select(p => p.Key));
        Assert.Equal("interleave:0,1", OutputTree.Summary(dir["interleave"])["trace"]!["policy"]!.GetValue<string>());
        Assert.True(OutputTree.Summary(dir["interleave"])["numastat"]!["node0"]!["interleave_hit"]!.GetValue<long>() > 0);
    }

    [Fact]
    public void The_same_trace_replayed_twice_gives_identical_files_except_wall_clock_fields()
    {
        using var dir = new TempDirectory();
        dir.Write("trace.txt", TraceText());

        var first = Replay(dir, "trace.txt", "--out", "a", "--seed", "9");
        var second = Replay(dir, "trace.txt", "--out", "b", "--seed", "9");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        var files = OutputTree.Files(dir["a"]);
        Assert.Equal(files, OutputTree.Files(dir["b"]));
        foreach (var file in files.Where(f => f != "summary.json"))
        {
            Assert.True(File.ReadAllBytes(Path.Combine(dir["a"], file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir["b"], file))), $"{file} differs");
        }
        Assert.Equal(9, OutputTree.Summary(dir["a"])["seed"]!.GetValue<long>());
        Assert.True(JsonNode.DeepEquals(OutputTree.ReproducibleSummary(dir["a"]), OutputTree.ReproducibleSummary(dir["b"])));
    }

    [Theory]
    [InlineData("multi-process replay is not supported yet", "--processes", "2")]
    [InlineData("--policy", "--policy", "bind:7")]
    [InlineData("--topology and --topology-procfs", "--topology", "x.conf", "--topology-procfs", "/")]
    public void Bad_options_exit_2_with_one_line(string culprit, params string[] options)
    {
        using var dir = new TempDirectory();
        dir.Write("trace.txt", TraceText());

        var result = Replay(dir, ["trace.txt", .. options]);

        Assert.True(result.ExitCode == BadInput, result.ToString());
        Assert.Single(result.StderrLines);
        Assert.Contains(culprit, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_trace_exits_2_naming_it()
    {
        using var dir = new TempDirectory();

        var result = Replay(dir, "nosuch.txt");

        Assert.True(result.ExitCode == BadInput, result.ToString());
        Assert.Equal(["numasim: nosuch.txt: file not found"], result.StderrLines);
    }

    private static JsonObject Add(JsonObject o, KeyValuePair<string, JsonNode?> p)
    {
        o[p.Key] = p.Value?.DeepClone();
        return o;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gz.Write(data);
        }
        return buffer.ToArray();
    }
}
