using System.Text.Json;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>
/// Accesses to a node with HMAT figures cost its own latency, raised by its load: every CPU of cxl-tiered.conf
/// re-reads memory bound to the CXL node, once with the node's 40 GiB/s and once starved to 2000 MB/s.
/// </summary>
public sealed class LoadedLatencyTests
{
    private const string Scenario = """
        numasim {
          workload.tasks = [ { cpus = "all", steps = [ { policy = "bind:2" }, { touch = 4M }, { access = 1ms, think-time = 10ns } ] } ]
        }
        """;

    [Fact]
    public void A_bandwidth_starved_cxl_node_shows_in_latency_ns_and_in_fewer_accesses()
    {
        using var dir = new TempDirectory();
        var topology = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "config", "topologies", "cxl-tiered.conf"));
        var ample = dir.Write("ample.conf", topology);
        var starved = dir.Write("starved.conf", topology.Replace("read-bandwidth = 40960, write-bandwidth = 40960", "read-bandwidth = 2000, write-bandwidth = 2000", StringComparison.Ordinal));
        Assert.NotEqual(topology, File.ReadAllText(starved));
        var scenario = dir.Write("reread.conf", Scenario);

        var (ampleLatency, ampleOps) = Run(dir, scenario, ample, "ample");
        var (starvedLatency, starvedOps) = Run(dir, scenario, starved, "starved");

        // Node 2 answers node 0's CPUs in its HMAT 200 ns, node 1's in 200 x 28 / 24; at 40 GiB/s the load adds little.
        Assert.InRange(ampleLatency, 200, 240);
        Assert.True(starvedLatency > ampleLatency * 13 / 10, $"starved p50 {starvedLatency} ns against {ampleLatency} ns");
        Assert.True(starvedOps < ampleOps, $"starved {starvedOps} operations against {ampleOps} in the same simulated time");
    }

    private static (long P50, long Operations) Run(TempDirectory dir, string scenario, string topology, string name)
    {
        var run = CliRunner.Run(dir.Path, "run", scenario, "--topology", topology, "--out", dir[name], "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir[name], "summary.json")));
        var root = summary.RootElement;
        return (root.GetProperty("latency_ns").GetProperty("tlb_hit_remote").GetProperty("p50").GetInt64(), root.GetProperty("operations").GetInt64());
    }
}
