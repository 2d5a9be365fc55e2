using NumaSim.Model.Topology;
using NumaSim.Workloads.Config;

namespace NumaSim.Workloads.Tests;

/// <summary>Topology keys of tiered and snapshotted machines: memory-only nodes, HMAT access figures, pages in use.</summary>
public sealed class TopologyTieringKeysTests
{
    private static MachineTopology Load(string topology) =>
        TopologyLoader.Load(ConfigNode.Root(HoconFile.Parse("tiers.conf", topology), "numasim.topology"));

    private const string Tiered = """
        numasim.topology {
          nodes = [
            { id = 0, cpus = "0-1", memory = 2G, access { read-latency = 80, write-latency = 80, read-bandwidth = 100000, write-bandwidth = 100000 } }
            { id = 1, cpus = "", memory = 4G, access { read-latency = 200, write-latency = 250, read-bandwidth = 40000, write-bandwidth = 30000 } }
          ]
          distance = [[10, 20], [20, 10]]
        }
        """;

    [Fact]
    public void A_node_without_cpus_is_memory_only_and_keeps_its_hmat_figures()
    {
        var topology = Load(Tiered);
        Assert.False(topology.Nodes[0].MemoryOnly);
        Assert.True(topology.Nodes[1].MemoryOnly);
        Assert.Equal(new NodeAccess(200, 250, 40000, 30000), topology.Nodes[1].Access);
        Assert.Equal(new NodeAccess(80, 80, 100000, 100000), topology.Nodes[0].Access);
    }

    [Fact]
    public void Hmat_figures_must_all_be_given_and_positive()
    {
        var e = Assert.Throws<ConfigException>(() => Load(Tiered.Replace("write-bandwidth = 30000", "write-bandwidth = 0", StringComparison.Ordinal)));
        Assert.Equal("numasim.topology.nodes[1].access.write-bandwidth", e.KeyPath);
        Assert.Throws<ConfigException>(() => Load(Tiered.Replace(", write-bandwidth = 30000", "", StringComparison.Ordinal)));
    }

    [Fact]
    public void In_use_pages_of_a_zone_are_read_and_bounded_by_managed()
    {
        const string Zones = """
            numasim.topology {
              nodes = [ { id = 0, cpus = "0", zones = [ { type = "DMA32", start-pfn = 4096, spanned = 8192, managed = 8000, in-use = INUSE } ] } ]
            }
            """;
        Assert.Equal(1234, Load(Zones.Replace("INUSE", "1234", StringComparison.Ordinal)).Nodes[0].Zones[0].InUse);
        var e = Assert.Throws<ConfigException>(() => Load(Zones.Replace("INUSE", "8001", StringComparison.Ordinal)));
        Assert.Contains("between 0 and managed (8000)", e.Problem, StringComparison.Ordinal);
    }
}
