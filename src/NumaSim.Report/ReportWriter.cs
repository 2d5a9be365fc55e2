using System.Globalization;
using System.Net;
using System.Text;
using NumaSim.Formats.Output;
using NumaSim.Formats;
using NumaSim.Formats.Sys;
using NumaSim.Results;

namespace NumaSim.Report;

/// <summary>
/// DIR/report.html and its charts in DIR/report/*.png: one page that reads without a network
/// (no scripts, no fonts or styles fetched), with the figures of summary.json beside the pictures.
/// Deterministic: nothing wall-clock goes into it.
/// </summary>
public static class ReportWriter
{
    public const string HtmlFile = "report.html";
    public const string ChartDir = "report";

    /// <summary>The charts, by file name, in the order the page shows them.</summary>
    public static IReadOnlyList<(string File, string Caption, Func<RunReport, byte[]> Draw)> Charts { get; } =
    [
        ("traffic.png", "Node-to-node memory traffic", r => ReportCharts.Traffic(r.Traffic)),
        ("latency.png", "Latency histogram by kind", r => ReportCharts.Latency(r.Latency)),
        ("free-pages.png", "Free pages by order over simulated time", r => ReportCharts.FreePages(r.Timeline)),
        ("node-memory.png", "Page cache and anonymous pages per node over simulated time", r => ReportCharts.NodeMemory(r.Timeline)),
        ("reclaim.png", "Pages reclaimed over simulated time", r => ReportCharts.Reclaim(r.Timeline)),
        ("tlb.png", "TLB hit ratio per CPU", r => ReportCharts.TlbHitRatio(r.Cpus)),
        ("numastat.png", "numastat per node", r => ReportCharts.Numastat(r.Machine)),
    ];

    public static void Write(string dir, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(report);
        List<(string File, Func<byte[]> Draw)> charts = [.. Charts.Select(c => (c.File, (Func<byte[]>)(() => c.Draw(report))))];
        charts.AddRange(ZoneCharts(report).Select(z => (z.File, (Func<byte[]>)(() => ReportCharts.Watermarks(report.Timeline, z.Node, z.Zone)))));
        if (ReportTiers.Of(report) is { Count: > 0 } tiers)
        {
            charts.Add((ReportTiers.ChartFile, () => ReportCharts.MemoryTiers(report.Timeline, tiers)));
        }
        // Rendering a chart is most of the time a run spends writing its outputs (tens of milliseconds each, a dozen
        // charts); they are independent, so they are drawn on every core. The files are written afterwards, in order, so
        // that a failed write (a full disk) is the write's own error, not one of a parallel loop's.
        var drawn = new byte[charts.Count][];
        Parallel.For(0, charts.Count, i => drawn[i] = charts[i].Draw());
        for (var i = 0; i < charts.Count; i++)
        {
            AtomicFile.WriteAllBytes(Path.Combine(dir, ChartDir, charts[i].File), drawn[i]);
        }
        AtomicFile.WriteAllText(Path.Combine(dir, HtmlFile), Html(report));
    }

    /// <summary>One chart of free pages against the watermarks for each populated zone: watermarks-node0-Normal.png.</summary>
    public static IReadOnlyList<(string File, int Node, string Zone)> ZoneCharts(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [.. TimelinePoint.Of(report.Machine, report.Summary.SimulatedNs).Zones
            .Select(z => (string.Create(CultureInfo.InvariantCulture, $"watermarks-node{z.Node}-{z.Zone}.png"), z.Node, z.Zone))];
    }

    public static string Html(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = report.Summary;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<title>NumaSim report: {E(s.Scenario)}</title>\n");
        sb.Append("<style>body{font-family:sans-serif;max-width:860px;margin:1em auto}table{border-collapse:collapse}"
            + "td,th{border:1px solid #bbb;padding:2px 8px;text-align:right}th:first-child,td:first-child{text-align:left}"
            + "pre{background:#f6f6f6;padding:6px;overflow-x:auto}.bad{background:#fdd;color:#900;font-weight:bold}</style>\n</head>\n<body>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<h1>{E(s.Scenario)}</h1>\n<p>seed {s.Seed}, {s.Operations} operations, {s.SimulatedNs} simulated ns, "
            + $"{s.Clock.Rounds} rounds{(s.Complete ? "" : ", incomplete: " + E(s.IncompleteReason ?? ""))}{(s.Panic is null ? "" : ", panic: " + E(s.Panic))}</p>\n");
        var tiers = ReportTiers.Of(report);
        sb.Append("<p><a href=\"#dmesg\">kernel messages</a> &middot; <a href=\"#counters\">counters</a> &middot; ")
            .Append(tiers.Count > 0 ? "<a href=\"#tiers\">memory tiers</a> &middot; " : "")
            .Append("<a href=\"#watermarks\">watermarks</a> &middot; "
            + "<a href=\"#unusable\">unusable index</a> &middot; <a href=\"#node-pairs\">latency by node pair</a> &middot; <a href=\"#settings\">settings</a></p>\n");
        ReportTables.KernelMessages(sb, report);
        ReportTables.Counters(sb, report);
        foreach (var (file, caption, _) in Charts)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"<h2>{E(caption)}</h2>\n<img src=\"{ChartDir}/{file}\" width=\"{ReportCharts.Width}\" height=\"{ReportCharts.Height}\" alt=\"{E(caption)}\">\n");
        }
        ReportTiers.Section(sb, report, tiers);
        ReportTables.Watermarks(sb, report, [.. ZoneCharts(report).Select(c => c.File)]);
        ReportTables.Unusable(sb, report);
        Numastat(sb, report);
        Latency(sb, report);
        ReportTables.LatencyByNodePair(sb, report);
        ReportTables.Settings(sb, report);
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Numastat(StringBuilder sb, RunReport report)
    {
        sb.Append("<h2>numastat</h2>\n<table>\n<tr><th></th>");
        var nodes = report.Machine.NodeIds().ToList();
        foreach (var node in nodes)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<th>node{node}</th>");
        }
        sb.Append("</tr>\n");
        for (var k = 0; k < NodeNumastatRenderer.Keys.Count; k++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{NodeNumastatRenderer.Keys[k]}</td>");
            foreach (var node in nodes)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<td>{report.Machine.NodeOrEmpty(node).Numa.NumaItemValues()[k]}</td>");
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</table>\n");
    }

    private static void Latency(StringBuilder sb, RunReport report)
    {
        sb.Append("<h2>Latency (simulated ns)</h2>\n<table>\n<tr><th>kind</th><th>count</th><th>p50</th><th>p99</th><th>max</th></tr>\n");
        foreach (var (kind, stats) in report.Summary.LatencyNs.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(kind)}</td><td>{stats.Count}</td><td>{stats.P50}</td><td>{stats.P99}</td><td>{stats.Max}</td></tr>\n");
        }
        sb.Append("</table>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
