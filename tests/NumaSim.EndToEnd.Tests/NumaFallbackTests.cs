using System.Text.Json.Nodes;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

public sealed class NumaFallbackTests
{
    private static readonly string[] Counters = ["numa_hit", "numa_miss", "numa_foreign", "interleave_hit", "local_node", "other_node"];

    [Fact]
    public void Overflowing_node_0_counts_numa_miss_on_node_1_and_numa_foreign_on_node_0()
    {
        using var dir = new TempDirectory();
        dir.Write("overflow.conf", Scenarios.Node0Overflow);

        var run = CliRunner.Run(dir.Path, "run", "overflow.conf", "--out", "out", "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        var numastat = OutputTree.Summary(dir["out"])["numastat"] as JsonObject;
        Assert.NotNull(numastat);
        long Counter(string node, string name) =>
            numastat[node]?[name]?.GetValue<long>() ?? throw new InvalidOperationException($"summary.json lacks numastat.{node}.{name}");

        Assert.True(Counter("node1", "numa_miss") > 0, $"node1 numa_miss is 0\n{numastat}");
        Assert.True(Counter("node0", "numa_foreign") > 0, $"node0 numa_foreign is 0\n{numastat}");
        var nodes = numastat.Select(p => p.Key).ToList();
        Assert.Equal(nodes.Sum(n => Counter(n, "numa_miss")), nodes.Sum(n => Counter(n, "numa_foreign")));
        // Node 0's CPUs allocate only: every page they got is a hit on node 0 or a miss on node 1.
        Assert.Equal(2 * 1500, Counter("node0", "numa_hit") + Counter("node1", "numa_miss"));

        // The sysfs files say the same as summary.json.
        foreach (var node in nodes)
        {
            var file = File.ReadAllLines(dir[$"out/sys/devices/system/node/{node}/numastat"]);
            Assert.Equal(Counters.Select(c => $"{c} {Counter(node, c)}"), file);
        }
    }
}
