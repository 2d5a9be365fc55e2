namespace NumaSim.Formats.Tests;

public class CpuMaskTests
{
    [Theory]
    [InlineData(2, "3")]
    [InlineData(16, "ffff")]
    [InlineData(32, "ffffffff")]
    [InlineData(40, "ff,ffffffff")]
    [InlineData(65, "1,ffffffff,ffffffff")]
    public void All_cpus_set_prints_like_the_kernels_percent_star_pb(int nrCpuIds, string expected)
    {
        Assert.Equal(expected, CpuMask.Format(Enumerable.Range(0, nrCpuIds), nrCpuIds));
    }

    [Fact]
    public void Cpus_of_one_node_keep_the_machine_wide_width()
    {
        Assert.Equal("00,00000000", CpuMask.Format([], 40));
        Assert.Equal("80,00000001", CpuMask.Format([0, 39], 40));
    }
}
