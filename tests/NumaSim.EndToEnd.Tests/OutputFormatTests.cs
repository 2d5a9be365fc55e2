using NumaSim.EndToEnd.Tests.Support;
using NumaSim.Formats.Output;

namespace NumaSim.EndToEnd.Tests;

public sealed class OutputFormatTests
{
    private static readonly string[] TreeFiles =
    [
        "numactl-hardware.txt",
        "proc/buddyinfo",
        "proc/meminfo",
        "proc/pagetypeinfo",
        "proc/slabinfo",
        "proc/vmallocinfo",
        "proc/vmstat",
        "proc/zoneinfo",
        "report.html",
        "report/free-pages.png",
        "report/latency.png",
        "report/node-memory.png",
        "report/numastat.png",
        "report/reclaim.png",
        "report/tlb.png",
        "report/traffic.png",
        // One chart of free pages against the watermarks per populated zone of the default machine.
        "report/watermarks-node0-DMA.png",
        "report/watermarks-node0-DMA32.png",
        "report/watermarks-node1-DMA32.png",
        "summary.json",
        "sys/devices/system/node/has_cpu",
        "sys/devices/system/node/has_memory",
        "sys/devices/system/node/has_normal_memory",
        "sys/devices/system/node/node0/cpulist",
        "sys/devices/system/node/node0/cpumap",
        "sys/devices/system/node/node0/distance",
        "sys/devices/system/node/node0/meminfo",
        "sys/devices/system/node/node0/numastat",
        "sys/devices/system/node/node1/cpulist",
        "sys/devices/system/node/node1/cpumap",
        "sys/devices/system/node/node1/distance",
        "sys/devices/system/node/node1/meminfo",
        "sys/devices/system/node/node1/numastat",
        "sys/devices/system/node/online",
        "sys/devices/system/node/possible",
        "sys/devices/virtual/memory_tiering/memory_tier4/nodelist",
    ];

    private static readonly string[] SummaryKeys =
        ["scenario", "seed", "operations", "simulated_ns", "wall_seconds", "operations_per_second", "members", "numastat", "tlb", "latency_ns", "errors"];

    [Fact]
    public void Default_scenario_output_tree_is_complete_and_passes_the_procfs_format_check()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run(dir.Path, "run", "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());

        Assert.Equal(TreeFiles, OutputTree.Files(dir["out"]));
        var summary = OutputTree.Summary(dir["out"]);
        foreach (var key in SummaryKeys)
        {
            Assert.True(summary.ContainsKey(key), $"summary.json lacks \"{key}\"");
        }
        AssertFormatCheckPasses(dir, "out");
    }

    [Fact]
    public void Small_two_node_scenario_output_passes_the_procfs_format_check()
    {
        using var dir = new TempDirectory();
        dir.Write("small.conf", Scenarios.TwoNode());
        var run = CliRunner.Run(dir.Path, "run", "small.conf", "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        AssertFormatCheckPasses(dir, "out");
    }

    private static void AssertFormatCheckPasses(TempDirectory dir, string outDir) =>
        Assert.Empty(LinuxLayoutCheck.Problems(CliRunner.ReferenceProcfs, dir[outDir]));
}
