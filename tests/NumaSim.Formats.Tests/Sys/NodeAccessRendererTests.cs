using NumaSim.Formats.Output;
using NumaSim.Formats.Sys;
using NumaSim.Formats.Tests.Support;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Tests.Sys;

/// <summary>nodeN/access0/initiators/*: HMAT's figures as the kernel's node_set_perf_attrs publishes them.</summary>
public sealed class NodeAccessRendererTests
{
    [Fact]
    public void A_node_with_hmat_figures_gets_its_four_access0_files_and_a_node_without_gets_none()
    {
        var machine = SyntheticMachine.Build();
        var t = machine.Topology;
        var nodes = t.Nodes.Select((n, i) => i == t.Nodes.Count - 1 ? n with { Access = new NodeAccess(200, 250, 40000, 30000) } : n).ToList();
        var tiered = machine with { Topology = new MachineTopology(t.Name, t.Arch, nodes, t.Distance, t.Vm) };
        using var dir = new TempDirectory();

        OutputTreeWriter.Write(dir.Path, tiered, SampleRun.Summary());

        var last = Path.Combine(dir.Path, "sys/devices/system/node", $"node{nodes.Count - 1}", "access0/initiators");
        Assert.Equal("200\n", File.ReadAllText(Path.Combine(last, "read_latency")));
        Assert.Equal("250\n", File.ReadAllText(Path.Combine(last, "write_latency")));
        Assert.Equal("40000\n", File.ReadAllText(Path.Combine(last, "read_bandwidth")));
        Assert.Equal("30000\n", File.ReadAllText(Path.Combine(last, "write_bandwidth")));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "sys/devices/system/node/node0/access0")));
    }
}
