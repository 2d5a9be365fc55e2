using NumaSim.Formats.Import;
using NumaSim.Formats.Tests.Support;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Tests.Import;

public class ProcfsTopologyImporterTests
{
    [Fact]
    public void Reference_snapshot_gives_one_node_two_cpus_and_three_zones()
    {
        var t = ProcfsTopologyImporter.Import(RepositoryPaths.Reference);

        var node = Assert.Single(t.Nodes);
        Assert.Equal(0, node.Id);
        Assert.Equal([0, 1], node.Cpus);
        Assert.Equal(
            [
                new ZoneSpec(ZoneType.Dma, 1, 4095, 3998, 3840) { Watermarks = new ZoneMarks(52, 65, 78, 91) },
                new ZoneSpec(ZoneType.Dma32, 4096, 1044480, 782336, 772808) { Watermarks = new ZoneMarks(10569, 13211, 15853, 18495) },
                // In use: managed - pages free; of those, the pagesets' counts sit on CPU 0's and CPU 1's lists.
                new ZoneSpec(ZoneType.Normal, 1048576, 5505024, 5505024, 458752)
                {
                    InUse = 458752 - 146616,
                    PcpPages = [3775, 4302],
                    Watermarks = new ZoneMarks(6274, 7842, 9410, 10978),
                },
            ],
            node.Zones);
        Assert.Equal([[10]], t.Distance);
        Assert.Equal(4096, t.Arch.PageSize);
        Assert.Equal("imported", t.Name);
    }

    [Fact]
    public void Live_system_layout_gives_the_same_topology()
    {
        using var root = LiveRoot();

        var live = ProcfsTopologyImporter.Import(root.Path);
        var snapshot = ProcfsTopologyImporter.Import(RepositoryPaths.Reference);

        Assert.Equal(TopologyHoconWriter.Write(snapshot), TopologyHoconWriter.Write(live));
    }

    [Fact]
    public void A_machine_with_swap_on_imports_its_area_header_page_included()
    {
        using var root = LiveRoot();
        File.WriteAllText(root.File("proc/meminfo"), "MemTotal:        1001748 kB\nSwapCached:            0 kB\nSwapTotal:       1048572 kB\nSwapFree:        1048572 kB\n");

        var t = ProcfsTopologyImporter.Import(root.Path);

        // mkswap on 1 GiB: SwapTotal leaves out the header page; `swap = 1G` sizes the whole area.
        Assert.Equal(1L << 30, t.SwapBytes);
        Assert.Contains("  swap = 1048576K\n", TopologyHoconWriter.Write(t, root.Path));
        File.WriteAllText(root.File("proc/meminfo"), "SwapTotal:             0 kB\n");
        Assert.Equal(0, ProcfsTopologyImporter.Import(root.Path).SwapBytes);
    }

    [Fact]
    public void Cpus_and_distances_come_from_numactl_output_when_sysfs_files_are_absent()
    {
        using var root = new TempDirectory();
        File.Copy(RepositoryPaths.ReferenceFile("zoneinfo"), root.File("zoneinfo"));
        File.WriteAllText(root.File("numactl-hardware.txt"),
            "available: 1 nodes (0)\nnode 0 cpus: 0 1 2\nnode 0 size: 4825 MB\nnode 0 free: 3606 MB\nnode distances:\nnode   0 \n  0:  10 \n");

        var t = ProcfsTopologyImporter.Import(root.Path);

        Assert.Equal([0, 1, 2], t.Nodes[0].Cpus);
        Assert.Equal([[10]], t.Distance);
    }

    [Fact]
    public void Garbled_zoneinfo_names_the_file_and_the_line()
    {
        using var root = new TempDirectory();
        var lines = File.ReadAllLines(RepositoryPaths.ReferenceFile("zoneinfo"));
        var bad = Array.IndexOf(lines, "        spanned  1044480");
        lines[bad] = "        spanned  10x4480";
        File.WriteAllLines(root.File("zoneinfo"), lines);
        File.Copy(RepositoryPaths.ReferenceFile("numactl-hardware.txt"), root.File("numactl-hardware.txt"));

        var e = Assert.Throws<FormatException>(() => ProcfsTopologyImporter.Import(root.Path));

        Assert.StartsWith($"{root.File("zoneinfo")}:{bad + 1}: ", e.Message);
        Assert.Contains("spanned", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Truncated_zoneinfo_names_the_zone_block_that_lost_its_fields()
    {
        using var root = new TempDirectory();
        var lines = File.ReadAllLines(RepositoryPaths.ReferenceFile("zoneinfo"));
        var header = Array.IndexOf(lines, "Node 0, zone    DMA32");
        File.WriteAllLines(root.File("zoneinfo"), lines.Take(header + 3));
        File.Copy(RepositoryPaths.ReferenceFile("numactl-hardware.txt"), root.File("numactl-hardware.txt"));

        var e = Assert.Throws<FormatException>(() => ProcfsTopologyImporter.Import(root.Path));

        Assert.StartsWith($"{root.File("zoneinfo")}:{header + 1}: zone DMA32 of node 0 has no 'present' line", e.Message);
    }

    [Fact]
    public void Missing_zoneinfo_names_the_file_it_looked_for()
    {
        using var root = new TempDirectory();

        var e = Assert.Throws<FormatException>(() => ProcfsTopologyImporter.Import(root.Path));

        Assert.StartsWith(root.File("zoneinfo") + ": file not found", e.Message);
    }

    [Fact]
    public void Garbled_cpulist_names_the_file()
    {
        using var root = new TempDirectory();
        File.Copy(RepositoryPaths.ReferenceFile("zoneinfo"), root.File("zoneinfo"));
        Directory.CreateDirectory(root.File("sys-node0"));
        File.WriteAllText(root.File("sys-node0/cpulist"), "0-x\n");

        var e = Assert.Throws<FormatException>(() => ProcfsTopologyImporter.Import(root.Path));

        Assert.StartsWith(root.File("sys-node0/cpulist") + ":1: ", e.Message);
    }

    // The reference machine laid out as a live system's root: proc/zoneinfo and sys/devices/system/node/node0.
    private static TempDirectory LiveRoot()
    {
        var root = new TempDirectory();
        Directory.CreateDirectory(root.File("proc"));
        Directory.CreateDirectory(root.File("sys/devices/system/node/node0"));
        File.Copy(RepositoryPaths.ReferenceFile("zoneinfo"), root.File("proc/zoneinfo"));
        File.Copy(RepositoryPaths.ReferenceFile("sys-node0/cpulist"), root.File("sys/devices/system/node/node0/cpulist"));
        File.Copy(RepositoryPaths.ReferenceFile("sys-node0/distance"), root.File("sys/devices/system/node/node0/distance"));
        return root;
    }
}
