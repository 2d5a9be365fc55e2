using System.Globalization;
using ScottPlot;

namespace NumaSim.Report;

/// <summary>What the report's charts share: one colour per block order, log axes, and lines that stop at gaps.</summary>
public static class ChartStyle
{
    /// <summary>One colour for each of the 11 block orders (0-10, MAX_PAGE_ORDER 10), none reused.</summary>
    public static IReadOnlyList<Color> OrderColors { get; } =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#ff7f0e"), Color.FromHex("#2ca02c"), Color.FromHex("#d62728"),
        Color.FromHex("#9467bd"), Color.FromHex("#8c564b"), Color.FromHex("#e377c2"), Color.FromHex("#7f7f7f"),
        Color.FromHex("#bcbd22"), Color.FromHex("#17becf"), Color.FromHex("#000080"),
    ];

    /// <summary>A colour for series <paramref name="i"/> of a chart with other series than orders.</summary>
    public static Color Series(int i) => OrderColors[i % OrderColors.Count];

    /// <summary>Values spread over more than this factor are drawn on a log scale.</summary>
    public const double LogScaleSpread = 100;

    /// <summary>Whether the positive values span orders of magnitude.</summary>
    public static bool NeedsLog(IEnumerable<double> values)
    {
        var positive = values.Where(v => v > 0).ToList();
        return positive.Count > 0 && positive.Max() / positive.Min() > LogScaleSpread;
    }

    /// <summary>Where a value goes on the y axis: its log10 on a log axis (zero and below: no point), else itself.</summary>
    public static double Y(double value, bool log) => !log ? value : value > 0 ? Math.Log10(value) : double.NaN;

    /// <summary>Decade ticks labelled with their values, for an axis of log10 values up to <paramref name="max"/>.</summary>
    public static void LogTicks(IAxis axis, double max)
    {
        ArgumentNullException.ThrowIfNull(axis);
        var top = Math.Max(1, (int)Math.Ceiling(Math.Log10(Math.Max(1, max))));
        var decades = Enumerable.Range(0, top + 1).ToArray();
        axis.SetTicks([.. decades.Select(d => (double)d)], [.. decades.Select(d => Math.Pow(10, d).ToString("N0", CultureInfo.InvariantCulture))]);
    }

    /// <summary>
    /// A series as lines that stop where it has no value (NaN): each run of points with values is a line of its own, in
    /// one colour, the legend on the first.
    /// </summary>
    public static void Lines(Plot plot, IReadOnlyList<double> xs, IReadOnlyList<double> ys, Color color, string legend, LinePattern? pattern = null)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        var first = true;
        foreach (var run in Runs(ys))
        {
            var line = plot.Add.Scatter(xs.Skip(run.Start).Take(run.Length).ToArray(), ys.Skip(run.Start).Take(run.Length).ToArray());
            line.Color = color;
            line.LineWidth = 2;
            // A sampled count holds until the next sample: steps, not slopes between samples far apart.
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            // A lone point still shows.
            line.MarkerSize = run.Length == 1 ? 5 : 0;
            if (pattern is { } p)
            {
                line.LinePattern = p;
            }
            if (first)
            {
                line.LegendText = legend;
                first = false;
            }
        }
    }

    /// <summary>The runs of consecutive finite values: (first index, count).</summary>
    public static IReadOnlyList<(int Start, int Length)> Runs(IReadOnlyList<double> ys)
    {
        ArgumentNullException.ThrowIfNull(ys);
        var runs = new List<(int, int)>();
        var start = -1;
        for (var i = 0; i <= ys.Count; i++)
        {
            var has = i < ys.Count && double.IsFinite(ys[i]);
            if (has && start < 0)
            {
                start = i;
            }
            else if (!has && start >= 0)
            {
                runs.Add((start, i - start));
                start = -1;
            }
        }
        return runs;
    }
}
