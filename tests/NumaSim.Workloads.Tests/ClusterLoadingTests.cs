using NumaSim.Workloads.Config;

namespace NumaSim.Workloads.Tests;

public sealed class ClusterLoadingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("numasim-cluster-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string cluster)
    {
        var path = Path.Combine(_dir, "s.conf");
        File.WriteAllText(path, $$"""
            numasim {
              topology = "four-node"
              cluster { {{cluster}} }
            }
            """);
        return path;
    }

    [Fact]
    public void Without_settings_placement_is_round_robin_and_members_get_a_minute_to_join()
    {
        var scenario = ScenarioLoader.Load(Write(""));
        Assert.Empty(scenario.Cluster.Placement);
        Assert.Equal(TimeSpan.FromSeconds(60), scenario.Cluster.JoinTimeout);
    }

    [Fact]
    public void A_placement_lists_the_nodes_of_each_process_in_order()
    {
        var scenario = ScenarioLoader.Load(Write("placement = [[3], [0, 2, 1]], join-timeout = 5s"));
        Assert.Equal([[3], [0, 2, 1]], scenario.Cluster.Placement.Select(p => p.ToArray()).ToArray());
        Assert.Equal(TimeSpan.FromSeconds(5), scenario.Cluster.JoinTimeout);
    }

    [Theory]
    [InlineData("placement = [[0, 1], [1, 2, 3]]", "numasim.cluster.placement[1][0]", "placed twice")]
    [InlineData("placement = [[0, 1], [2]]", "numasim.cluster.placement", "node(s) 3 not placed")]
    [InlineData("placement = [[0, 1, 2, 7]]", "numasim.cluster.placement[0][3]", "between 0 and 3")]
    [InlineData("seeds = []", "numasim.cluster.seeds", "unknown")]
    public void A_placement_that_misses_repeats_or_invents_a_node_is_bad_input(string cluster, string path, string problem)
    {
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Load(Write(cluster)));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
