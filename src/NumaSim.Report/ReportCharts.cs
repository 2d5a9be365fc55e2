using System.Globalization;
using NumaSim.Formats;
using NumaSim.Formats.Sys;
using NumaSim.Results;
using ScottPlot;

namespace NumaSim.Report;

/// <summary>
/// The report's charts as PNG bytes. Only simulated quantities are drawn (no wall-clock time), so
/// the same scenario and seed give the same pictures.
/// </summary>
public static class ReportCharts
{
    public const int Width = 800;
    public const int Height = 450;

    /// <summary>Memory accesses and allocations from each CPU node (rows) to each page's node (columns), each cell labelled.</summary>
    public static byte[] Traffic(IReadOnlyList<IReadOnlyList<long>> traffic)
    {
        ArgumentNullException.ThrowIfNull(traffic);
        var n = traffic.Count;
        var cells = new double[n, n];
        for (var src = 0; src < n; src++)
        {
            for (var dst = 0; dst < n; dst++)
            {
                // Row 0 at the top, as a matrix reads.
                cells[src, dst] = traffic[src][dst];
            }
        }
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(cells);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        var max = traffic.SelectMany(r => r).DefaultIfEmpty(0).Max();
        // From zero: equal cells are as bright as their count, not the middle of an empty range.
        heatmap.ManualRange = new ScottPlot.Range(0, Math.Max(1, max));
        plot.Add.ColorBar(heatmap);
        for (var src = 0; src < n; src++)
        {
            for (var dst = 0; dst < n; dst++)
            {
                var label = plot.Add.Text(traffic[src][dst].ToString(CultureInfo.InvariantCulture), dst, n - 1 - src);
                label.Alignment = Alignment.MiddleCenter;
                label.LabelFontColor = traffic[src][dst] > max / 2 ? Colors.Black : Colors.White;
                label.LabelFontSize = 16;
            }
        }
        var nodes = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        var labels = Enumerable.Range(0, n).Select(i => "node" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        plot.Axes.Bottom.SetTicks(nodes, labels);
        plot.Axes.Left.SetTicks([.. nodes.Select(y => (double)(n - 1) - y)], labels);
        plot.Title("Accesses and allocations: CPU's node (rows) to page's node (columns)");
        plot.XLabel("page's node");
        plot.YLabel("CPU's node");
        return Png(plot);
    }

    /// <summary>
    /// Latencies by kind, in power-of-two buckets of simulated ns: bars side by side in each bucket for the busiest
    /// eight kinds, counts on a log scale. An empty bucket has no bar, so nothing joins buckets that are not adjacent.
    /// </summary>
    public static byte[] Latency(IReadOnlyDictionary<string, IReadOnlyList<(long Ns, long Count)>> latency)
    {
        ArgumentNullException.ThrowIfNull(latency);
        var plot = new Plot();
        var kinds = latency.OrderByDescending(k => k.Value.Sum(v => v.Count)).ThenBy(k => k.Key, StringComparer.Ordinal).Take(8).OrderBy(k => k.Key, StringComparer.Ordinal).ToList();
        var maxBucket = 1;
        var width = 0.8 / Math.Max(1, kinds.Count);
        long maxCount = 1;
        for (var k = 0; k < kinds.Count; k++)
        {
            var buckets = new SortedDictionary<int, long>();
            foreach (var (ns, count) in kinds[k].Value)
            {
                var bucket = ns <= 0 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)ns);
                buckets[bucket] = buckets.GetValueOrDefault(bucket) + count;
            }
            maxBucket = Math.Max(maxBucket, buckets.Keys.Max());
            maxCount = Math.Max(maxCount, buckets.Values.Max());
            var offset = (k - (kinds.Count - 1) / 2.0) * width;
            // A bar's height is log10(count) + 1, so that a bucket of one operation still shows.
            var bars = plot.Add.Bars(buckets.Select(b => new Bar { Position = b.Key + offset, Value = Math.Log10(b.Value) + 1, Size = width, FillColor = ChartStyle.Series(k), LineWidth = 0 }).ToList());
            bars.LegendText = kinds[k].Key;
        }
        var ticks = Enumerable.Range(0, maxBucket + 1).Where(b => b % 2 == 0).ToArray();
        plot.Axes.Bottom.SetTicks([.. ticks.Select(b => (double)b)], [.. ticks.Select(b => b == 0 ? "0" : Ns(1L << (b - 1)))]);
        var decades = Enumerable.Range(1, (int)Math.Ceiling(Math.Log10(maxCount)) + 1).ToArray();
        plot.Axes.Left.SetTicks([.. decades.Select(d => (double)d)], [.. decades.Select(d => Math.Pow(10, d - 1).ToString("N0", CultureInfo.InvariantCulture))]);
        plot.Axes.Margins(bottom: 0);
        plot.Title("Latency by kind (simulated)");
        plot.XLabel("latency at least (power-of-two buckets)");
        plot.YLabel("operations (log scale)");
        plot.ShowLegend(Alignment.UpperRight);
        return Png(plot);
    }

    /// <summary>
    /// Free pages held in blocks of each order, over simulated time (fragmentation as it develops): one colour per
    /// order, a log scale when the orders' counts span orders of magnitude, and no line where an order has no block.
    /// </summary>
    public static byte[] FreePages(IReadOnlyList<TimelinePoint> timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        var plot = new Plot();
        var orders = timeline.Count == 0 ? 0 : timeline.Max(p => p.FreePagesByOrder.Count);
        var xs = timeline.Select(p => p.SimulatedNs / 1000.0).ToArray();
        var values = Enumerable.Range(0, orders).Select(o => timeline.Select(p => o < p.FreePagesByOrder.Count ? (double)p.FreePagesByOrder[o] : 0).ToArray()).ToList();
        var log = ChartStyle.NeedsLog(values.SelectMany(v => v));
        for (var order = 0; order < orders; order++)
        {
            // No free block of the order is a gap: on a log scale it has no place, and on a linear one it reads as a drop.
            ChartStyle.Lines(plot, xs, [.. values[order].Select(v => v > 0 ? ChartStyle.Y(v, log) : double.NaN)],
                ChartStyle.OrderColors[order % ChartStyle.OrderColors.Count], "order " + order.ToString(CultureInfo.InvariantCulture));
        }
        if (log)
        {
            ChartStyle.LogTicks(plot.Axes.Left, values.SelectMany(v => v).DefaultIfEmpty(1).Max());
        }
        plot.Title("Free pages by block order over simulated time");
        plot.XLabel("simulated time (us)");
        plot.YLabel(log ? "free pages in blocks of the order (log scale)" : "free pages in blocks of the order");
        plot.ShowLegend(Alignment.UpperRight);
        return Png(plot);
    }

    /// <summary>Each node's page cache (solid) and anonymous memory (dashed) over simulated time: where the cache sits, and where the task's memory had to go.</summary>
    public static byte[] NodeMemory(IReadOnlyList<TimelinePoint> timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        var plot = new Plot();
        var xs = timeline.Select(p => p.SimulatedNs / 1000.0).ToArray();
        var nodes = timeline.SelectMany(p => p.Nodes.Select(n => n.Node)).Distinct().Order().ToList();
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            long Of(TimelinePoint p, Func<NodePoint, long> value) => p.Nodes.FirstOrDefault(n => n.Node == node) is { } n ? value(n) : 0;
            var name = "node " + node.ToString(CultureInfo.InvariantCulture);
            ChartStyle.Lines(plot, xs, [.. timeline.Select(p => (double)Of(p, n => n.FilePages))], ChartStyle.Series(i), name + " file", LinePattern.Solid);
            ChartStyle.Lines(plot, xs, [.. timeline.Select(p => (double)Of(p, n => n.AnonPages))], ChartStyle.Series(i), name + " anon", LinePattern.Dashed);
        }
        plot.Title("Page cache and anonymous pages per node over simulated time");
        plot.XLabel("simulated time (us)");
        plot.YLabel("pages");
        plot.ShowLegend(Alignment.UpperLeft);
        return Png(plot);
    }

    /// <summary>Each memory tier's anonymous (dashed) and page-cache (solid) pages over simulated time.</summary>
    public static byte[] MemoryTiers(IReadOnlyList<TimelinePoint> timeline, IReadOnlyList<Model.Tiering.MemoryTier> tiers)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(tiers);
        var plot = new Plot();
        var xs = timeline.Select(p => p.SimulatedNs / 1000.0).ToArray();
        for (var i = 0; i < tiers.Count; i++)
        {
            var tier = tiers[i];
            var name = $"{tier.Name} (nodes {CpuList.Format(tier.Nodes)})";
            ChartStyle.Lines(plot, xs, [.. timeline.Select(p => (double)ReportTiers.Pages(p, tier).File)], ChartStyle.Series(i), name + " file", LinePattern.Solid);
            ChartStyle.Lines(plot, xs, [.. timeline.Select(p => (double)ReportTiers.Pages(p, tier).Anon)], ChartStyle.Series(i), name + " anon", LinePattern.Dashed);
        }
        plot.Title(ReportTiers.Caption);
        plot.XLabel("simulated time (us)");
        plot.YLabel("pages");
        plot.ShowLegend(Alignment.UpperLeft);
        return Png(plot);
    }

    /// <summary>Pages reclaimed so far, by kswapd and by allocating tasks (direct reclaim), over simulated time.</summary>
    public static byte[] Reclaim(IReadOnlyList<TimelinePoint> timeline)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        var plot = new Plot();
        var xs = timeline.Select(p => p.SimulatedNs / 1000.0).ToArray();
        ChartStyle.Lines(plot, xs, [.. timeline.Select(p => (double)p.Reclaimed.Kswapd)], ChartStyle.Series(0), "pgsteal_kswapd", LinePattern.Solid);
        ChartStyle.Lines(plot, xs, [.. timeline.Select(p => (double)p.Reclaimed.Direct)], ChartStyle.Series(1), "pgsteal_direct", LinePattern.Solid);
        plot.Title("Pages reclaimed over simulated time");
        plot.XLabel("simulated time (us)");
        plot.YLabel("pages reclaimed so far");
        plot.ShowLegend(Alignment.UpperLeft);
        return Png(plot);
    }

    /// <summary>One zone's free pages against its min, low and high watermarks over simulated time.</summary>
    public static byte[] Watermarks(IReadOnlyList<TimelinePoint> timeline, int node, string zone)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        var points = timeline.Select(p => (p.SimulatedNs, Zone: p.Zones.FirstOrDefault(z => z.Node == node && z.Zone == zone))).Where(p => p.Zone is not null).ToList();
        var xs = points.Select(p => p.SimulatedNs / 1000.0).ToArray();
        (string Name, Func<ZonePoint, long> Value, LinePattern Pattern)[] series =
        [
            ("free", z => z.FreePages, LinePattern.Solid),
            ("high", z => z.High, LinePattern.Dashed),
            ("low", z => z.Low, LinePattern.Dashed),
            ("min", z => z.Min, LinePattern.Dotted),
        ];
        var log = ChartStyle.NeedsLog(points.SelectMany(p => series.Select(s => (double)s.Value(p.Zone!))));
        var plot = new Plot();
        for (var i = 0; i < series.Length; i++)
        {
            var (name, value, pattern) = series[i];
            ChartStyle.Lines(plot, xs, [.. points.Select(p => ChartStyle.Y(value(p.Zone!), log))], ChartStyle.Series(i), name, pattern);
        }
        if (log)
        {
            ChartStyle.LogTicks(plot.Axes.Left, points.Select(p => (double)p.Zone!.FreePages).DefaultIfEmpty(1).Max());
        }
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Node {node}, zone {zone}: free pages against the watermarks"));
        plot.XLabel("simulated time (us)");
        plot.YLabel(log ? "pages (log scale)" : "pages");
        plot.ShowLegend(Alignment.UpperRight);
        return Png(plot);
    }

    /// <summary>TLB hits over lookups, per CPU.</summary>
    public static byte[] TlbHitRatio(IReadOnlyList<Model.Snapshots.CpuCounters> cpus)
    {
        ArgumentNullException.ThrowIfNull(cpus);
        var plot = new Plot();
        var ratios = cpus.Select(c => c.TlbHits + c.TlbMisses == 0 ? 0 : (double)c.TlbHits / (c.TlbHits + c.TlbMisses)).ToArray();
        plot.Add.Bars(ratios);
        plot.Axes.Bottom.SetTicks([.. cpus.Select((_, i) => (double)i)], [.. cpus.Select(c => "cpu" + c.Cpu.ToString(CultureInfo.InvariantCulture))]);
        plot.Axes.SetLimitsY(0, 1.05);
        plot.Title("TLB hit ratio per CPU");
        plot.YLabel("hits / (hits + misses)");
        return Png(plot);
    }

    /// <summary>The six numastat counters of each node, side by side.</summary>
    public static byte[] Numastat(Model.Snapshots.MachineSnapshot machine)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var plot = new Plot();
        var nodes = machine.NodeIds().ToList();
        var keys = NodeNumastatRenderer.Keys;
        var group = keys.Count + 1;
        for (var k = 0; k < keys.Count; k++)
        {
            var bars = nodes.Select((node, i) => new Bar
            {
                Position = i * group + k,
                Value = machine.NodeOrEmpty(node).Numa.NumaItemValues()[k],
                FillColor = ChartStyle.Series(k),
            }).ToList();
            plot.Add.Bars(bars).LegendText = keys[k];
        }
        plot.Axes.Bottom.SetTicks([.. nodes.Select((_, i) => i * group + (keys.Count - 1) / 2.0)], [.. nodes.Select(n => "node" + n.ToString(CultureInfo.InvariantCulture))]);
        plot.Axes.Margins(bottom: 0);
        plot.Title("numastat per node");
        plot.YLabel("pages");
        plot.ShowLegend(Alignment.UpperRight);
        return Png(plot);
    }

    private static byte[] Png(Plot plot) => plot.GetImageBytes(Width, Height, ImageFormat.Png);

    private static string Ns(long ns) =>
        ns >= 1_000_000 ? (ns / 1_000_000).ToString(CultureInfo.InvariantCulture) + " ms"
        : ns >= 1_000 ? (ns / 1_000).ToString(CultureInfo.InvariantCulture) + " us"
        : ns.ToString(CultureInfo.InvariantCulture) + " ns";
}
