namespace NumaSim.Formats.Tests;

public class CpuListTests
{
    [Theory]
    [InlineData(new int[0], "")]
    [InlineData(new[] { 0 }, "0")]
    [InlineData(new[] { 0, 1 }, "0-1")]
    [InlineData(new[] { 8, 0, 1, 2, 3 }, "0-3,8")]
    [InlineData(new[] { 0, 2, 4, 5, 6, 9 }, "0,2,4-6,9")]
    public void Formats_runs_as_ranges_and_parses_back(int[] ids, string text)
    {
        Assert.Equal(text, CpuList.Format(ids));
        Assert.Equal(ids.Order(), CpuList.Parse(text + "\n"));
    }

    [Theory]
    [InlineData("0-")]
    [InlineData("a")]
    [InlineData("3-1")]
    [InlineData("0,,1")]
    [InlineData("-1")]
    [InlineData("0-99999999")]
    public void Garbage_is_a_format_exception(string text)
    {
        Assert.Throws<FormatException>(() => CpuList.Parse(text));
    }
}
