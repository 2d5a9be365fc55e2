using NumaSim.Formats.Proc;
using NumaSim.Formats.Sys;
using NumaSim.Formats.Tests.Support;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Tests.Proc;

public class MeminfoRendererTests
{
    /// <summary>
    /// /proc/meminfo of a Linux 6.18 x86-64 machine built as the reference one (the same kernel configuration): the
    /// labels, their order and the columns to match.
    /// </summary>
    private const string Real618 = """
        MemTotal:       24683620 kB
        MemFree:        23436368 kB
        MemAvailable:   23904804 kB
        Buffers:           17412 kB
        Cached:           852332 kB
        SwapCached:            0 kB
        Active:           626948 kB
        Inactive:         460148 kB
        Active(anon):      15792 kB
        Inactive(anon):   309596 kB
        Active(file):     611156 kB
        Inactive(file):   150552 kB
        Unevictable:       11748 kB
        Mlocked:           10820 kB
        SwapTotal:             0 kB
        SwapFree:              0 kB
        Zswap:                 0 kB
        Zswapped:              0 kB
        Dirty:              5564 kB
        Writeback:             0 kB
        AnonPages:        229116 kB
        Mapped:           213168 kB
        Shmem:            108036 kB
        KReclaimable:      31228 kB
        Slab:              56864 kB
        SReclaimable:      31228 kB
        SUnreclaim:        25636 kB
        KernelStack:        3168 kB
        PageTables:         4988 kB
        SecPageTables:         0 kB
        NFS_Unstable:          0 kB
        Bounce:                0 kB
        WritebackTmp:          0 kB
        CommitLimit:    12341808 kB
        Committed_AS:    1149720 kB
        VmallocTotal:   34359738367 kB
        VmallocUsed:       15916 kB
        VmallocChunk:          0 kB
        Percpu:              736 kB
        AnonHugePages:         0 kB
        ShmemHugePages:        0 kB
        ShmemPmdMapped:        0 kB
        FileHugePages:         0 kB
        FilePmdMapped:         0 kB
        Balloon:               0 kB
        HugePages_Total:       0
        HugePages_Free:        0
        HugePages_Rsvd:        0
        HugePages_Surp:        0
        Hugepagesize:       2048 kB
        Hugetlb:               0 kB
        DirectMap4k:       32768 kB
        DirectMap2M:    25133056 kB

        """;

    /// <summary>
    /// Worked out by hand from <see cref="Small"/>: MemTotal 3840 + 250000 managed pages; MemFree 1000 + 200000;
    /// totalreserve_pages = (900 reserve + 14 high) + (0 + 1500 high, boost left out) = 2414; the low watermarks sum
    /// to 12 + (1250 + 100 boost) + 32 (the empty Movable zone) = 1394; MemAvailable = 201000 - 2414
    /// + (4000 file - min(2000, 1394)) + (320 reclaimable - min(160, 1394)) = 201352 pages; CommitLimit = 253840 / 2.
    /// </summary>
    private const string SmallMeminfo = """
        MemTotal:        1015360 kB
        MemFree:          804000 kB
        MemAvailable:     805408 kB
        Buffers:               0 kB
        Cached:            16400 kB
        SwapCached:            0 kB
        Active:            22000 kB
        Inactive:          10000 kB
        Active(anon):      10000 kB
        Inactive(anon):     6000 kB
        Active(file):      12000 kB
        Inactive(file):     4000 kB
        Unevictable:           0 kB
        Mlocked:               0 kB
        SwapTotal:             0 kB
        SwapFree:              0 kB
        Zswap:                 0 kB
        Zswapped:              0 kB
        Dirty:                32 kB
        Writeback:             0 kB
        AnonPages:         16000 kB
        Mapped:             2800 kB
        Shmem:               400 kB
        KReclaimable:       1280 kB
        Slab:               2000 kB
        SReclaimable:       1200 kB
        SUnreclaim:          800 kB
        KernelStack:          64 kB
        PageTables:          200 kB
        SecPageTables:         0 kB
        NFS_Unstable:          0 kB
        Bounce:                0 kB
        WritebackTmp:          0 kB
        CommitLimit:      507680 kB
        Committed_AS:          0 kB
        VmallocTotal:   34359738367 kB
        VmallocUsed:          20 kB
        VmallocChunk:          0 kB
        Percpu:                0 kB
        AnonHugePages:      4096 kB
        ShmemHugePages:        0 kB
        ShmemPmdMapped:        0 kB
        FileHugePages:         0 kB
        FilePmdMapped:         0 kB
        Balloon:               0 kB
        HugePages_Total:       0
        HugePages_Free:        0
        HugePages_Rsvd:        0
        HugePages_Surp:        0
        Hugepagesize:       2048 kB
        Hugetlb:               0 kB
        DirectMap4k:           0 kB
        DirectMap2M:           0 kB

        """;

    [Fact]
    public void Small_machine_prints_the_values_worked_out_by_hand()
    {
        Assert.Equal(SmallMeminfo, MeminfoRenderer.Render(Small()));
    }

    [Theory]
    [InlineData("small")]
    [InlineData("reference")]
    [InlineData("synthetic")]
    public void Labels_order_and_columns_are_those_of_a_real_6_18_meminfo(string machine)
    {
        var s = machine switch
        {
            "small" => Small(),
            "reference" => ReferenceMachine.Build(),
            _ => SyntheticMachine.Build(),
        };
        var real = Real618.Split('\n');

        var rendered = MeminfoRenderer.Render(s).Split('\n');

        Assert.Equal(real.Select(Label), rendered.Select(Label));
        // Every value ends in the column the real one ends in (VmallocTotal overflows its width in both).
        Assert.Equal(real.Select(l => l.Length), rendered.Select(l => l.Length));
    }

    [Fact]
    public void Without_a_vmalloc_area_VmallocTotal_is_the_architectures_range_and_VmallocUsed_zero()
    {
        var lines = MeminfoRenderer.Render(Small() with { Vmalloc = null }).Split('\n');

        Assert.Contains("VmallocTotal:   34359738367 kB", lines);
        Assert.Contains("VmallocUsed:           0 kB", lines);
    }

    [Fact]
    public void Machine_totals_are_the_sums_of_the_node_meminfo_files()
    {
        var s = SyntheticMachine.Build();
        var nodeFiles = s.Topology.Nodes.Select(n => NodeMeminfoRenderer.Render(s, n.Id)).ToList();
        var nodeTotal = nodeFiles.Sum(f => Value(f, "MemTotal"));
        var nodeFree = nodeFiles.Sum(f => Value(f, "MemFree"));
        var nodeSlab = nodeFiles.Sum(f => Value(f, "Slab"));

        var text = MeminfoRenderer.Render(s);

        Assert.Equal(nodeTotal, Value(text, "MemTotal"));
        Assert.Equal(nodeFree, Value(text, "MemFree"));
        Assert.Equal(nodeSlab, Value(text, "Slab"));
        Assert.Equal(2400, nodeSlab); // 100 + 200 + 300 unreclaimable pages of 4 KiB
    }

    [Fact]
    public void A_swap_area_shows_its_slots_less_the_header_in_SwapTotal_the_free_ones_in_SwapFree_and_adds_to_CommitLimit()
    {
        var small = Small();
        var t = small.Topology;
        var withSwap = small with { Topology = new MachineTopology(t.Name, t.Arch, t.Nodes, [.. t.Distance], t.Vm) { SwapBytes = 1L << 30 } };
        var without = Value(MeminfoRenderer.Render(small), "CommitLimit");

        var idle = MeminfoRenderer.Render(withSwap);
        var used = MeminfoRenderer.Render(withSwap with { SwapFreePages = 262_143 - 1000 });

        // mkswap on 1 GiB: 262,144 pages less the header, as the kernel shows it.
        Assert.Equal(1_048_572, Value(idle, "SwapTotal"));
        Assert.Equal(1_048_572, Value(idle, "SwapFree"));
        Assert.Equal(without + 1_048_572, Value(idle, "CommitLimit"));
        Assert.Equal(1_048_572 - 4000, Value(used, "SwapFree"));
    }

    [Fact]
    public void An_arm64_64k_machine_has_512_MiB_huge_pages_and_no_direct_map_lines()
    {
        var small = Small();
        var arm = small with { Topology = WithArch(small.Topology, Architecture.ForPageSize("arm64", 65536)), Vmalloc = null };

        var lines = MeminfoRenderer.Render(arm).Split('\n');

        Assert.Contains("Hugepagesize:     524288 kB", lines);
        Assert.Contains("MemTotal:       16245760 kB", lines); // 253840 pages of 64 KiB
        Assert.Contains("VmallocTotal:          0 kB", lines); // no built-in arm64 range and no area reserved
        Assert.DoesNotContain(lines, l => l.StartsWith("DirectMap", StringComparison.Ordinal));
        Assert.Equal("Hugetlb:               0 kB", lines[^2]);
    }

    /// <summary>One node: DMA (3840 managed, 1000 free) and Normal (250000 managed, 200000 free, boosted).</summary>
    private static MachineSnapshot Small()
    {
        var topology = new MachineTopology(
            "meminfo-small",
            Architecture.X86_64,
            [new NodeSpec(0, [0, 1], [new ZoneSpec(ZoneType.Dma, 1, 4095, 3998, 3840), new ZoneSpec(ZoneType.Normal, 4096, 262144, 262144, 250000)])],
            [[10]],
            VmTunables.Default);
        ZoneSnapshot Zone(int index, long free, ZoneWatermarks marks, long[] reserve)
        {
            var spec = topology.Nodes[0].Zones[index];
            var blocks = Enumerable.Range(0, MigrateTypes.Count).Select(_ => new long[topology.Arch.MaxOrder + 1]).ToArray();
            blocks[(int)MigrateType.Movable][0] = free;
            return new ZoneSnapshot(0, spec, free, free, marks, reserve, blocks, [0, 0, 0, 0, 0], NumaEvents.Zero, [], 8, spec.Managed - free);
        }
        var stats = new Dictionary<string, long>
        {
            ["nr_slab_reclaimable"] = 300,
            ["nr_slab_unreclaimable"] = 200,
            ["nr_kernel_misc_reclaimable"] = 20,
            ["nr_page_table_pages"] = 50,
            ["nr_anon_pages"] = 4000,
            ["nr_anon_transparent_hugepages"] = 1024,
            ["nr_active_anon"] = 2500,
            ["nr_inactive_anon"] = 1500,
            ["nr_active_file"] = 3000,
            ["nr_inactive_file"] = 1000,
            ["nr_file_pages"] = 4100,
            ["nr_shmem"] = 100,
            ["nr_kernel_stack"] = 64,
            ["nr_dirty"] = 8,
            ["nr_mapped"] = 700,
        };
        var node = new NodeSnapshot(
            0,
            [
                Zone(0, 1000, new ZoneWatermarks(10, 12, 14, 16), [0, 900, 900, 900, 900]),
                Zone(1, 200000, new ZoneWatermarks(1000, 1250, 1500, 1750, Boost: 100), [0, 0, 0, 0, 0]),
            ],
            CountersByName.Node(stats));
        var start = 0xffffc90000000000UL;
        return new MachineSnapshot(topology, [node], Counters<VmEventItem>.Zero, [])
        {
            Vmalloc = new VmallocSnapshot(start, start + (32UL << 40) - 1, 4096, 2, 5, []),
        };
    }

    private static MachineTopology WithArch(MachineTopology t, Architecture arch) =>
        new(t.Name, arch, t.Nodes, [.. t.Distance], t.Vm);

    private static string Label(string line) => line.Contains(':', StringComparison.Ordinal) ? line[..line.IndexOf(':', StringComparison.Ordinal)] : line;

    private static long Value(string text, string label) =>
        long.Parse(
            text.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).First(f => f.Length >= 2 && (f[0] == label + ":" || (f[0] == "Node" && f[2] == label + ":")))
                .Reverse().Skip(1).First(),
            System.Globalization.CultureInfo.InvariantCulture);
}
