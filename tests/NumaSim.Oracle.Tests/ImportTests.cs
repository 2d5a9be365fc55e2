using NumaSim.Formats.Import;
using NumaSim.Model.Topology;

namespace NumaSim.Oracle.Tests;

/// <summary>
/// The boot snapshot of a real guest (Linux 6.12.117, Debian, under QEMU 7.2: nodes 0-1 with a CPU each, node 2
/// memory-only, HMAT 80 ns / 100 GB/s and 200 ns / 25 GB/s), kept in tests/fixtures/qemu-boot-hmat.
/// </summary>
public sealed class ImportTests
{
    private static readonly string Snapshot = Repo.File("tests/fixtures/qemu-boot-hmat");

    [Fact]
    public void A_memory_only_node_is_kept_with_its_zones_and_no_cpus()
    {
        var t = ProcfsTopologyImporter.Import(Snapshot);

        Assert.Equal([0, 1, 2], t.Nodes.Select(n => n.Id));
        Assert.True(t.Nodes[2].MemoryOnly);
        Assert.Equal(ZoneType.Dma32, Assert.Single(t.Nodes[2].Zones).Type);
        Assert.Equal([[10, 21, 24], [21, 10, 28], [24, 28, 10]], t.Distance);
    }

    [Fact]
    public void Hmat_access_attributes_are_read_per_node()
    {
        var t = ProcfsTopologyImporter.Import(Snapshot);

        Assert.Equal(new NodeAccess(80, 80, 100000, 100000), t.Nodes[0].Access);
        Assert.Equal(new NodeAccess(200, 200, 25000, 25000), t.Nodes[2].Access);
    }

    [Fact]
    public void Each_zone_keeps_the_pages_in_use_at_the_snapshot()
    {
        var t = ProcfsTopologyImporter.Import(Snapshot);

        // zoneinfo: node 0 DMA32 managed 60303, pages free 55774.
        Assert.Equal(60303 - 55774, t.Nodes[0].Zone(ZoneType.Dma32)!.InUse);
    }

    [Fact]
    public void The_hocon_writes_access_and_in_use_and_reports_memory_tiers()
    {
        var t = ProcfsTopologyImporter.Import(Snapshot);

        var text = TopologyHoconWriter.Write(t, "snap", MemoryTiers.Read(Snapshot));

        Assert.Contains("access { read-latency = 200, write-latency = 200, read-bandwidth = 25000, write-bandwidth = 25000 }", text, StringComparison.Ordinal);
        Assert.Contains("in-use = 4529", text, StringComparison.Ordinal);
        Assert.Contains("cpus = \"\"", text, StringComparison.Ordinal);
        Assert.Equal(["memory_tier4: nodes 0-1", "memory_tier45: nodes 2"], MemoryTiers.Read(Snapshot));
    }

    [Fact]
    public void The_tiers_computed_from_the_imported_hmat_are_the_ones_the_guest_reported()
    {
        var t = ProcfsTopologyImporter.Import(Snapshot);

        var computed = Model.Tiering.MemoryTiers.Establish(t).Tiers.Select(tier => $"{tier.Name}: nodes {Model.Topology.CpuList.Format(tier.Nodes)}");

        Assert.Equal(MemoryTiers.Read(Snapshot), computed);
    }

    [Fact]
    public void A_missing_hmat_attribute_is_named()
    {
        using var dir = new TempDir();
        dir.Write("proc/zoneinfo", File.ReadAllText(Path.Combine(Snapshot, "proc/zoneinfo")));
        foreach (var n in new[] { 0, 1, 2 })
        {
            foreach (var f in new[] { "cpulist", "distance" })
            {
                dir.Write($"sys/devices/system/node/node{n}/{f}", File.ReadAllText(Path.Combine(Snapshot, $"sys/devices/system/node/node{n}/{f}")));
            }
        }
        dir.Write("sys/devices/system/node/node2/access0/initiators/read_latency", "200\n");

        var e = Assert.Throws<FormatException>(() => ProcfsTopologyImporter.Import(dir.Path));

        Assert.Contains("node2/access0/initiators/write_latency: file not found", e.Message, StringComparison.Ordinal);
    }
}
