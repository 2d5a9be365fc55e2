using NumaSim.Workloads.Config;

namespace NumaSim.Workloads.Tests;

/// <summary>numasim.topology.swap: the swap area's size.</summary>
public sealed class TopologySwapTests
{
    private const string OneNode = """
        numasim.topology {
          nodes = [{ id = 0, cpus = "0-1", memory = 64M }]

        """;

    private static Model.Topology.MachineTopology Load(string swapLine) =>
        TopologyLoader.Load(ConfigNode.Root(HoconFile.Parse("swap.conf", OneNode + swapLine + "\n}"), "numasim.topology"));

    [Fact]
    public void No_swap_key_means_no_swap() => Assert.Equal(0, Load("").SwapBytes);

    [Fact]
    public void A_size_is_read_in_bytes() => Assert.Equal(1L << 30, Load("swap = 1G").SwapBytes);

    [Fact]
    public void Zero_is_no_swap() => Assert.Equal(0, Load("swap = 0").SwapBytes);

    [Theory]
    [InlineData("swap = lots", "expected a size")]
    [InlineData("swap = 4K", "at least 2 pages")]
    public void A_bad_size_names_the_key_and_its_line(string line, string problem)
    {
        var e = Assert.Throws<ConfigException>(() => Load(line));
        Assert.Equal("swap.conf", e.File);
        Assert.Equal(3, e.Line);
        Assert.Equal("numasim.topology.swap", e.KeyPath);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }
}
