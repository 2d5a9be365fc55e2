using System.Globalization;
using System.Net;
using System.Text;
using NumaSim.Formats.Kernel;
using NumaSim.Formats.Proc;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;
using NumaSim.Results;

namespace NumaSim.Report;

/// <summary>
/// The report's sections for a kernel engineer: what the kernel printed, the counters that moved, each zone against
/// its watermarks, the unusable free space index, latency by node pair and the scenario's settings.
/// </summary>
public static class ReportTables
{
    /// <summary>dmesg lines that say something went wrong.</summary>
    private static readonly string[] BadLines = ["BUG", "page allocation failure", "Kernel panic", "Out of memory", "WARNING", "oom-kill"];

    /// <summary>Counters whose moving means the allocator was under pressure or failed.</summary>
    private static readonly string[] PressureCounters = ["fail", "stall", "oom", "direct", "kill", "steal", "reclaim", "sleeping", "debug_reports"];

    public static void KernelMessages(StringBuilder sb, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(report);
        var lines = Dmesg.Lines(report.Summary).ToList();
        sb.Append(CultureInfo.InvariantCulture, $"<h2 id=\"dmesg\">Kernel messages</h2>\n");
        if (lines.Count == 0)
        {
            sb.Append("<p>The kernel printed nothing.</p>\n");
            return;
        }
        sb.Append(CultureInfo.InvariantCulture, $"<p>{report.Summary.Errors.Count} reports{(report.Summary.Panic is null ? "" : " and a panic")}, as dmesg shows them (simulated time).</p>\n<pre class=\"dmesg\">");
        foreach (var line in lines)
        {
            sb.Append(BadLines.Any(b => line.Contains(b, StringComparison.Ordinal)) ? $"<span class=\"bad\">{E(line)}</span>\n" : E(line) + "\n");
        }
        sb.Append("</pre>\n");
    }

    /// <summary>Every vmstat counter and run total that is not zero; those that mean pressure or failure stand out.</summary>
    public static void Counters(StringBuilder sb, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(report);
        var s = report.Summary;
        var totals = new List<(string, long)>
        {
            ("allocations.requested", s.Allocations.Requested), ("allocations.served", s.Allocations.Served),
            ("allocations.failed", s.Allocations.Failed), ("allocations.frees", s.Allocations.Frees),
            ("allocations.remote_served", s.Allocations.RemoteServed),
            ("tlb.hits", s.Tlb.Hits), ("tlb.misses", s.Tlb.Misses),
            ("mmu.faults", s.Mmu.Faults), ("mmu.segfaults", s.Mmu.Segfaults), ("mmu.shootdowns", s.Mmu.Shootdowns),
            ("mmu.ipis", s.Mmu.Ipis), ("mmu.migrations", s.Mmu.Migrations), ("mmu.tlb_evictions", s.Mmu.TlbEvictions),
        };
        if (s.Kernel is { } k)
        {
            totals.AddRange([
                ("kernel.allocations", k.Allocations), ("kernel.failed", k.Failed), ("kernel.frees", k.Frees),
                ("kernel.reclaim_waits", k.ReclaimWaits), ("kernel.ctor_calls", k.CtorCalls),
                ("kernel.sleeping_in_atomic", k.SleepingInAtomic), ("kernel.debug_reports", k.DebugReports),
            ]);
        }
        var vmstat = VmstatRenderer.Render(report.Machine).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')).Select(p => (Name: p[0], Value: long.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
        var moved = totals.Where(t => t.Item2 != 0).Select(t => ("summary.json", t.Item1, t.Item2))
            .Concat(vmstat.Where(v => v.Value != 0).Select(v => ("/proc/vmstat", v.Name, v.Value))).ToList();
        sb.Append(CultureInfo.InvariantCulture, $"<h2 id=\"counters\">Counters that moved</h2>\n<p>{moved.Count} counters are not zero "
            + $"({vmstat.Count(v => v.Value == 0)} of /proc/vmstat's {vmstat.Count} are); those that mean reclaim, stalls or failures are marked.</p>\n");
        sb.Append("<table>\n<tr><th>counter</th><th>from</th><th>value</th></tr>\n");
        foreach (var (from, name, value) in moved)
        {
            var pressure = PressureCounters.Any(p => name.Contains(p, StringComparison.Ordinal));
            sb.Append(CultureInfo.InvariantCulture, $"<tr{(pressure ? " class=\"bad\"" : "")}><td>{E(name)}</td><td>{from}</td><td>{value}</td></tr>\n");
        }
        sb.Append("</table>\n");
    }

    /// <summary>Each populated zone at the end of the run: free pages against min, low and high; below low is marked.</summary>
    public static void Watermarks(StringBuilder sb, RunReport report, IReadOnlyList<string> charts)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(charts);
        sb.Append("<h2 id=\"watermarks\">Free pages against the watermarks</h2>\n<table>\n<tr><th>zone</th><th>managed</th><th>free</th><th>min</th><th>low</th><th>high</th><th>state</th></tr>\n");
        var zones = TimelinePoint.Of(report.Machine, report.Summary.SimulatedNs).Zones;
        var managed = report.Machine.Zones.ToDictionary(z => (z.Node, z.Type.KernelName()), z => z.Spec.Managed);
        foreach (var z in zones)
        {
            var state = z.FreePages < z.Min ? "below min" : z.FreePages < z.Low ? "below low (kswapd)" : z.FreePages < z.High ? "below high" : "above high";
            sb.Append(CultureInfo.InvariantCulture,
                $"<tr{(z.FreePages < z.Low ? " class=\"bad\"" : "")}><td>Node {z.Node}, zone {E(z.Zone)}</td><td>{managed[(z.Node, z.Zone)]}</td><td>{z.FreePages}</td><td>{z.Min}</td><td>{z.Low}</td><td>{z.High}</td><td>{state}</td></tr>\n");
        }
        sb.Append("</table>\n");
        foreach (var file in charts)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<img src=\"{ReportWriter.ChartDir}/{file}\" width=\"{ReportCharts.Width}\" height=\"{ReportCharts.Height}\" alt=\"{E(file)}\">\n");
        }
    }

    /// <summary>The unusable free space index of every populated zone at every order, and the kernel's debugfs text.</summary>
    public static void Unusable(StringBuilder sb, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(report);
        var zones = report.Machine.Zones.Where(z => z.Spec.Managed > 0 && z.FreeBlocks.Length > 0).ToList();
        var orders = zones.Count == 0 ? 0 : zones.Max(z => z.FreeBlocks[0].Length);
        sb.Append("<h2 id=\"unusable\">Unusable free space index</h2>\n<p>Of each zone's free pages, the fraction in blocks too small for an allocation "
            + "of the order: (free pages &minus; free pages in blocks of the order or larger) / free pages, as the kernel's "
            + "extfrag/unusable_index computes it; 1.000 when the zone has no free page.</p>\n<table>\n<tr><th>zone</th>");
        for (var o = 0; o < orders; o++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<th>{o}</th>");
        }
        sb.Append("</tr>\n");
        var text = new StringBuilder();
        foreach (var z in zones)
        {
            var blocks = Enumerable.Range(0, z.FreeBlocks[0].Length).Select(z.FreeBlocksAtOrder).ToList();
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>Node {z.Node}, zone {z.Type.KernelName()}</td>");
            for (var o = 0; o < blocks.Count; o++)
            {
                var index = UnusableIndex.Thousandths(blocks, o);
                sb.Append(CultureInfo.InvariantCulture, $"<td{(index >= 500 ? " class=\"bad\"" : "")}>{UnusableIndex.Format(index)}</td>");
            }
            sb.Append("</tr>\n");
            text.Append(UnusableIndex.Line(z.Node, z.Type.KernelName(), blocks)).Append('\n');
        }
        sb.Append("</table>\n<pre>").Append(E(text.ToString())).Append("</pre>\n");
    }

    /// <summary>Memory-access latency by the CPU's node and the page's node, with the distance between them.</summary>
    public static void LatencyByNodePair(StringBuilder sb, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(report);
        sb.Append("<h2 id=\"node-pairs\">Latency by node pair (simulated ns)</h2>\n");
        if (report.LatencyByNodePair.Count == 0)
        {
            sb.Append("<p>No memory accesses.</p>\n");
            return;
        }
        sb.Append("<table>\n<tr><th>access</th><th>CPU's node</th><th>page's node</th><th>distance</th><th>count</th><th>p50</th><th>p99</th><th>max</th></tr>\n");
        var rows = report.LatencyByNodePair.Select(p => (Parts: p.Key.Split('|'), Stats: LatencyRecorder.StatsOf(p.Value)))
            .Select(p => (Kind: p.Parts[0], Src: int.Parse(p.Parts[1], CultureInfo.InvariantCulture), Dst: int.Parse(p.Parts[2], CultureInfo.InvariantCulture), p.Stats))
            .Where(r => r.Stats.Count > 0)
            .OrderBy(r => r.Kind, StringComparer.Ordinal).ThenBy(r => r.Src).ThenBy(r => r.Dst);
        foreach (var (kind, src, dst, stats) in rows)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{E(kind)}</td><td>{src}</td><td>{dst}</td><td>{report.Machine.Topology.DistanceBetween(src, dst)}</td><td>{stats.Count}</td><td>{stats.P50}</td><td>{stats.P99}</td><td>{stats.Max}</td></tr>\n");
        }
        sb.Append("</table>\n");
    }

    public static void Settings(StringBuilder sb, RunReport report)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(report);
        sb.Append("<h2 id=\"settings\">Scenario settings</h2>\n<table>\n");
        foreach (var (key, value) in report.Settings)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(key)}</td><td>{E(value)}</td></tr>\n");
        }
        sb.Append("</table>\n");
        if (report.ScenarioText is { } text)
        {
            sb.Append("<details><summary>the scenario file</summary>\n<pre>").Append(E(text)).Append("</pre>\n</details>\n");
        }
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
