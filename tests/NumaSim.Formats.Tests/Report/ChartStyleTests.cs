using NumaSim.Report;

namespace NumaSim.Formats.Tests.Report;

public sealed class ChartStyleTests
{
    [Fact]
    public void Every_block_order_has_a_colour_of_its_own()
    {
        Assert.Equal(11, ChartStyle.OrderColors.Count);
        Assert.Equal(11, ChartStyle.OrderColors.Select(c => c.ToHex()).Distinct().Count());
    }

    [Fact]
    public void A_series_breaks_into_runs_where_it_has_no_value()
    {
        double[] ys = [double.NaN, 1, 2, double.NaN, double.NaN, 3, double.NaN, 4, 5, 6];

        Assert.Equal([(1, 2), (5, 1), (7, 3)], ChartStyle.Runs(ys));
        Assert.Empty(ChartStyle.Runs([double.NaN]));
    }

    [Fact]
    public void A_log_scale_is_used_when_values_span_orders_of_magnitude_and_zero_has_no_place_on_it()
    {
        Assert.True(ChartStyle.NeedsLog([0, 1, 2, 50_000]));
        Assert.False(ChartStyle.NeedsLog([0, 10, 20, 900]));
        Assert.True(double.IsNaN(ChartStyle.Y(0, log: true)));
        Assert.Equal(3, ChartStyle.Y(1000, log: true), 9);
        Assert.Equal(0, ChartStyle.Y(0, log: false));
    }
}
