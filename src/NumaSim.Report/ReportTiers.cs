using System.Globalization;
using System.Net;
using System.Text;
using NumaSim.Formats;
using NumaSim.Model.Tiering;
using NumaSim.Results;

namespace NumaSim.Report;

/// <summary>
/// The report's memory-tier section, on a machine with more than one tier (mm/memory-tiers.c as the boot leaves it:
/// <see cref="MemoryTiers"/>): each tier's anonymous and page-cache pages at the end and at their peak, and a chart
/// of them over simulated time, so demotion and promotion show as pages leaving one tier for another. A machine
/// with one tier has no such section.
/// </summary>
public static class ReportTiers
{
    public const string ChartFile = "memory-tiers.png";

    public const string Caption = "Anonymous and page-cache pages per memory tier over simulated time";

    /// <summary>The machine's tiers, fastest first, when it has more than one; else none.</summary>
    public static IReadOnlyList<MemoryTier> Of(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var tiers = MemoryTiers.Establish(report.Machine.Topology).Tiers;
        return tiers.Count > 1 ? tiers : [];
    }

    /// <summary>A tier's anonymous and page-cache pages at one point: the sum over its nodes.</summary>
    public static (long Anon, long File) Pages(TimelinePoint point, MemoryTier tier)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(tier);
        var nodes = point.Nodes.Where(n => tier.Nodes.Contains(n.Node)).ToList();
        return (nodes.Sum(n => n.AnonPages), nodes.Sum(n => n.FilePages));
    }

    public static void Section(StringBuilder sb, RunReport report, IReadOnlyList<MemoryTier> tiers)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(tiers);
        if (tiers.Count == 0)
        {
            return;
        }
        var end = TimelinePoint.Of(report.Machine, report.Summary.SimulatedNs);
        sb.Append(CultureInfo.InvariantCulture, $"<h2 id=\"tiers\">{Caption}</h2>\n<table>\n")
            .Append("<tr><th>tier</th><th>nodes</th><th>anon pages</th><th>file pages</th><th>peak anon + file</th><th>at (simulated ns)</th></tr>\n");
        foreach (var tier in tiers)
        {
            var (anon, file) = Pages(end, tier);
            var peak = report.Timeline.Append(end).Select(p => (p.SimulatedNs, Pages: Sum(Pages(p, tier)))).MaxBy(p => p.Pages);
            sb.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{tier.Name}</td><td>{CpuList.Format(tier.Nodes)}</td><td>{anon}</td><td>{file}</td><td>{peak.Pages}</td><td>{peak.SimulatedNs}</td></tr>\n");
        }
        sb.Append("</table>\n").Append(CultureInfo.InvariantCulture,
            $"<img src=\"{ReportWriter.ChartDir}/{ChartFile}\" width=\"{ReportCharts.Width}\" height=\"{ReportCharts.Height}\" alt=\"{WebUtility.HtmlEncode(Caption)}\">\n");
    }

    private static long Sum((long Anon, long File) pages) => pages.Anon + pages.File;
}
