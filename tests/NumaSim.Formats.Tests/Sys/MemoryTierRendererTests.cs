using NumaSim.Formats.Output;
using NumaSim.Formats.Tests.Support;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Tests.Sys;

/// <summary>memory_tiering/memory_tier&lt;K&gt;/nodelist: the tiers computed from HMAT, in nodelist_show's "%*pbl\n".</summary>
public sealed class MemoryTierRendererTests
{
    private const string Tiering = "sys/devices/virtual/memory_tiering";

    /// <summary>The synthetic machine (nodes 0-1 with CPUs, node 2 memory-only) with DRAM at 80 ns and node 2 as given.</summary>
    private static MachineSnapshot WithHmat(NodeAccess? slow)
    {
        var machine = SyntheticMachine.Build();
        var t = machine.Topology;
        var dram = new NodeAccess(80, 80, 102400, 102400);
        var nodes = t.Nodes.Select(n => n with { Access = n.MemoryOnly ? slow : dram }).ToList();
        return machine with { Topology = new MachineTopology(t.Name, t.Arch, nodes, t.Distance, t.Vm) };
    }

    [Fact]
    public void Each_tier_gets_its_directory_with_the_nodelist_as_the_kernel_prints_it()
    {
        using var dir = new TempDirectory();

        OutputTreeWriter.Write(dir.Path, WithHmat(new NodeAccess(200, 200, 40960, 40960)), SampleRun.Summary());

        var tiers = Path.Combine(dir.Path, Tiering);
        Assert.Equal(["memory_tier28", "memory_tier4"], Directory.GetDirectories(tiers).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("0-1\n", File.ReadAllText(Path.Combine(tiers, "memory_tier4", "nodelist")));
        Assert.Equal("2\n", File.ReadAllText(Path.Combine(tiers, "memory_tier28", "nodelist")));
    }

    [Fact]
    public void A_machine_without_hmat_has_every_node_with_memory_in_the_dram_tier()
    {
        using var dir = new TempDirectory();

        OutputTreeWriter.Write(dir.Path, SyntheticMachine.Build(), SampleRun.Summary());

        // As 6.12 shows it on a QEMU machine without HMAT: memory_tier_late_init gives every node the default DRAM type.
        Assert.Equal(["memory_tier4"], Directory.EnumerateDirectories(Path.Combine(dir.Path, Tiering)).Select(Path.GetFileName));
        Assert.Equal("0-2\n", File.ReadAllText(Path.Combine(dir.Path, Tiering, "memory_tier4", "nodelist")));
    }

    [Fact]
    public void A_tier_of_an_earlier_run_into_the_same_directory_goes()
    {
        using var dir = new TempDirectory();
        OutputTreeWriter.Write(dir.Path, WithHmat(new NodeAccess(200, 200, 40960, 40960)), SampleRun.Summary());

        OutputTreeWriter.Write(dir.Path, WithHmat(new NodeAccess(80, 80, 102400, 102400)), SampleRun.Summary());

        var tiers = Path.Combine(dir.Path, Tiering);
        Assert.Equal(["memory_tier4"], Directory.GetDirectories(tiers).Select(Path.GetFileName));
        Assert.Equal("0-2\n", File.ReadAllText(Path.Combine(tiers, "memory_tier4", "nodelist")));
    }
}
