using NumaSim.Workloads.Config;

namespace NumaSim.Workloads.Tests;

public sealed class TopologyValidationTests
{
    private static ConfigException Reject(string topology)
    {
        var file = HoconFile.Parse("bad.conf", topology);
        return Assert.Throws<ConfigException>(() => TopologyLoader.Load(ConfigNode.Root(file, "numasim.topology")));
    }

    private const string TwoNodes = """
        numasim.topology {
          nodes = [
            { id = 0, cpus = "0-1", memory = 64M }
            { id = 1, cpus = "2-3", memory = 64M }
          ]
        """;

    [Fact]
    public void A_ragged_distance_matrix_names_the_short_row_and_its_line()
    {
        var e = Reject(TwoNodes + "\n  distance = [[10, 20],\n    [20]]\n}");
        Assert.Equal("bad.conf", e.File);
        Assert.Equal(7, e.Line);
        Assert.Equal("numasim.topology.distance[1]", e.KeyPath);
        Assert.Contains("square", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_matrix_with_too_many_rows_is_not_square() =>
        Assert.Contains("rows", Reject(TwoNodes + "\n  distance = [[10, 20], [20, 10], [20, 20]]\n}").Problem, StringComparison.Ordinal);

    [Fact]
    public void Self_distance_must_be_ten()
    {
        var e = Reject(TwoNodes + "\n  distance = [[10, 20], [20, 11]]\n}");
        Assert.Equal("numasim.topology.distance[1][1]", e.KeyPath);
        Assert.Contains("itself must be 10", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Remote_distance_must_exceed_ten() =>
        Assert.Contains("greater than 10", Reject(TwoNodes + "\n  distance = [[10, 10], [20, 10]]\n}").Problem, StringComparison.Ordinal);

    [Fact]
    public void Overlapping_zones_are_rejected_at_the_second_zone()
    {
        var e = Reject("""
            numasim.topology {
              nodes = [
                { id = 0, cpus = "0", zones = [{ type = Normal, start-pfn = 1048576, spanned = 4096 }] }
                { id = 1, cpus = "1",
                  zones = [{ type = Normal, start-pfn = 1050000, spanned = 4096 }] }
              ]
              distance = [[10, 20], [20, 10]]
            }
            """);
        Assert.Equal(5, e.Line);
        Assert.Equal("numasim.topology.nodes[1].zones[0].start-pfn", e.KeyPath);
        Assert.Contains("overlaps", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cpu_on_two_nodes_is_rejected()
    {
        var e = Reject("""
            numasim.topology {
              nodes = [
                { id = 0, cpus = "0-3", memory = 64M }
                { id = 1, cpus = "3-5", memory = 64M }
              ]
              distance = [[10, 20], [20, 10]]
            }
            """);
        Assert.Equal(4, e.Line);
        Assert.Contains("CPU 3 is already on node 0", e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DMA", 0, 8192, "16 MiB")]
    [InlineData("DMA32", 4096, 1048576, "4096 MiB")]
    public void A_zone_beyond_its_architectural_limit_is_rejected(string type, long start, long spanned, string limit)
    {
        var e = Reject($$"""
            numasim.topology {
              nodes = [{ id = 0, cpus = "0", zones = [{ type = {{type}}, start-pfn = {{start}}, spanned = {{spanned}} }] }]
            }
            """);
        Assert.Contains(limit, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_in_a_node_is_rejected() =>
        Assert.Contains("unknown key", Reject("""numasim.topology { nodes = [{ id = 0, cpus = "0", memory = 64M, socket = 1 }] }""").Problem, StringComparison.Ordinal);

    [Fact]
    public void Memory_is_laid_out_in_zones_below_their_limits()
    {
        var file = HoconFile.Parse("t.conf", """numasim.topology { nodes = [{ id = 0, cpus = "0-1", memory = 8G }] }""");
        var topology = TopologyLoader.Load(ConfigNode.Root(file, "numasim.topology"));
        var zones = topology.Nodes[0].Zones;
        Assert.Equal(["DMA", "DMA32", "Normal"], zones.Select(z => Model.Topology.ZoneTypes.KernelName(z.Type)));
        Assert.Equal(4096, zones[0].EndPfn);
        Assert.Equal(1048576, zones[1].EndPfn);
        Assert.Equal((8L << 30) >> 12, zones.Sum(z => z.Spanned));
        Assert.All(zones, z => Assert.True(z.Managed < z.Present));
    }
}
