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
        const string zones = """
            numasim.topology {
              nodes = [ { id = 0, cpus = "0", zones = [ { type = "DMA32", start-pfn = 4096, spanned = 8192, managed = 8000, in-use = INUSE } ] } ]
            }
            """;
        Assert.Equal(1234, Load(zones.Replace("INUSE", "1234", StringComparison.Ordinal)).Nodes[0].Zones[0].InUse);
        var e = Assert.Throws<ConfigException>(() => Load(zones.Replace("INUSE", "8001", StringComparison.Ordinal)));
        Assert.Contains("between 0 and managed (8000)", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Pages_on_per_cpu_lists_are_part_of_in_use_and_name_existing_cpus()
    {
        const string zones = """
            numasim.topology {
              nodes = [ { id = 0, cpus = "0-1", zones = [ { type = "DMA32", start-pfn = 4096, spanned = 8192, managed = 8000, in-use = 500, pcp-pages = PCP } ] } ]
            }
            """;
        Assert.Equal([300, 20], Load(zones.Replace("PCP", "[300, 20]", StringComparison.Ordinal)).Nodes[0].Zones[0].PcpPages);
        Assert.Contains("cannot exceed", Assert.Throws<ConfigException>(() => Load(zones.Replace("PCP", "[300, 201]", StringComparison.Ordinal))).Problem, StringComparison.Ordinal);
        Assert.Contains("lists 3 CPUs", Assert.Throws<ConfigException>(() => Load(zones.Replace("PCP", "[1, 1, 1]", StringComparison.Ordinal))).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshots_watermarks_replace_the_computed_ones_and_must_rise()
    {
        const string zones = """
            numasim.topology {
              nodes = [ { id = 0, cpus = "0", zones = [ { type = "DMA32", start-pfn = 4096, spanned = 126976, managed = 124749, watermarks = MARKS } ] } ]
            }
            """;
        var topology = Load(zones.Replace("MARKS", "{ min = 6199, low = 7748, high = 9297, promo = 10846 }", StringComparison.Ordinal));
        Assert.Equal(new ZoneMarks(6199, 7748, 9297, 10846), topology.Nodes[0].Zones[0].Watermarks);
        var setup = new NumaSim.Model.PageAlloc.PageAllocatorSetup(topology);
        Assert.Equal(7748, setup.Populated[0].Watermarks.Low);
        var e = Assert.Throws<ConfigException>(() => Load(zones.Replace("MARKS", "{ min = 6199, low = 6000, high = 9297, promo = 10846 }", StringComparison.Ordinal)));
        Assert.Equal("numasim.topology.nodes[0].zones[0].watermarks.low", e.KeyPath);
    }
}
