using System.Globalization;
using NumaSim.Actors.Coordination;
using NumaSim.Formats.Sys;
using NumaSim.Model.Snapshots;
using NumaSim.Telemetry.Metrics;
using Spectre.Console;
using Spectre.Console.Rendering;
using NumaSim.Results;

namespace NumaSim.Cli;

/// <summary>
/// One frame of the dashboard: a status line, numastat per node with each node's TLB hit ratio and its page-cache and
/// anonymous pages, the biggest slab caches and the TLB hit ratio per CPU. It fits <see cref="MaxHeight"/> lines of the given width on any machine:
/// nodes, caches and CPUs that do not fit are counted, not drawn.
/// </summary>
public static class DashboardFrame
{
    /// <summary>A 24-line terminal keeps the frame, the completion line and a prompt.</summary>
    public const int MaxHeight = 22;

    private const int SlabRows = 5;
    private const int CpuLines = 5;
    private const string KeyColumn = "interleave_hit";

    public static IRenderable Render(SimProgress? progress, MetricsSnapshot? metrics, RunSummary? final, int width)
    {
        var rows = new List<IRenderable> { new Markup(Status(progress, metrics, final)) };
        if (metrics is not null)
        {
            // Inside the panel's border and padding.
            var inner = Math.Max(20, width - 4);
            rows.Add(Numastat(metrics, inner));
            rows.Add(Text.Empty);
            var (slabs, slabWidth) = Slabs(metrics);
            rows.Add(new Grid().AddColumn().AddColumn().AddRow(slabs, new Markup(CpuTlb(metrics, Math.Max(13, inner - slabWidth - 4)))));
        }
        return new Panel(new Rows(rows)).Header("numasim run").Expand();
    }

    /// <summary>The status line: the result once the run is over (as summary.json has it), else the last progress.</summary>
    public static string Status(SimProgress? progress, MetricsSnapshot? metrics, RunSummary? final)
    {
        if (final is not null)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"[bold]done[/]  simulated {SimulatedUs(final.SimulatedNs)} us  operations {final.Operations}  wall {final.WallSeconds:F2} s");
        }
        if (progress is not { } p)
        {
            return "[grey]starting...[/]";
        }
        // The coordinator's earliest pending event is long.MaxValue once nothing is left: the folded state's time then.
        var simulated = p.SimulatedNs == long.MaxValue ? metrics?.SimulatedNs ?? 0 : p.SimulatedNs;
        return string.Create(CultureInfo.InvariantCulture,
            $"simulated {SimulatedUs(simulated)} us  operations {p.Operations}  {p.Operations / Math.Max(p.Elapsed.TotalSeconds, 1e-9):F0} ops/s{ProgressLine.Estimate(p)}");
    }

    /// <summary>Simulated ns as us, exact to the nanosecond.</summary>
    public static string SimulatedUs(long ns) => (ns / 1000.0).ToString("F3", CultureInfo.InvariantCulture);

    private static Table Numastat(MetricsSnapshot m, int width)
    {
        var tlb = m.Cpus.GroupBy(c => c.Node).ToDictionary(g => g.Key, g => (Hits: g.Sum(c => c.TlbHits), Lookups: g.Sum(c => c.TlbHits + c.TlbMisses)));
        var memory = m.NodeMemory.ToDictionary(n => n.Node);
        var cells = m.Numastat.Select(n => (n.Node, Values: (string[])[
            .. Items(n.Numa).Select(v => v.ToString(CultureInfo.InvariantCulture)),
            tlb.TryGetValue(n.Node, out var t) && t.Lookups > 0 ? Percent(t.Hits, t.Lookups) : "-",
            memory.TryGetValue(n.Node, out var file) ? file.FilePages.ToString(CultureInfo.InvariantCulture) : "-",
            memory.TryGetValue(n.Node, out var anon) ? anon.AnonPages.ToString(CultureInfo.InvariantCulture) : "-"])).ToList();
        var cellWidth = cells.SelectMany(c => c.Values).Append("node00").Max(v => v.Length) + 1;
        var fit = Math.Max(1, (width - KeyColumn.Length - 2) / cellWidth);
        var shown = cells.Count <= fit ? cells.Count : Math.Max(1, fit - 1);
        var table = new Table().Border(TableBorder.None).AddColumn("[bold]numastat[/]");
        foreach (var (node, _) in cells.Take(shown))
        {
            table.AddColumn(new TableColumn("[bold]node" + node.ToString(CultureInfo.InvariantCulture) + "[/]").RightAligned());
        }
        if (shown < cells.Count)
        {
            table.AddColumn(new TableColumn($"+{cells.Count - shown}"));
        }
        string[] keys = [.. NodeNumastatRenderer.Keys, "tlb_hit %", "file pages", "anon pages"];
        for (var k = 0; k < keys.Length; k++)
        {
            var key = k;
            table.AddRow([keys[k], .. cells.Take(shown).Select(c => c.Values[key]), .. shown < cells.Count ? new[] { "" } : []]);
        }
        return table;
    }

    /// <summary>In the order of <see cref="NodeNumastatRenderer.Keys"/>.</summary>
    private static long[] Items(NumaEvents e) => [e.Hit, e.Miss, e.Foreign, e.InterleaveHit, e.Local, e.Other];

    /// <summary>The biggest caches by active objects, and the table's width in columns.</summary>
    private static (Table Table, int Width) Slabs(MetricsSnapshot m)
    {
        var table = new Table().Border(TableBorder.None).AddColumn("[bold]slab cache[/]").AddColumn(new TableColumn("[bold]active[/]").RightAligned()).AddColumn(new TableColumn("[bold]objs[/]").RightAligned());
        var top = m.Slabs.OrderByDescending(c => c.ActiveObjects).ThenBy(c => c.Cache, StringComparer.Ordinal).ToList();
        var rows = top.Take(top.Count <= SlabRows ? SlabRows : SlabRows - 1)
            .Select(c => (string[])[c.Cache.Length > 18 ? c.Cache[..17] + "~" : c.Cache, c.ActiveObjects.ToString(CultureInfo.InvariantCulture), c.Objects.ToString(CultureInfo.InvariantCulture)])
            .ToList();
        if (top.Count > SlabRows)
        {
            rows.Add([$"+{top.Count - (SlabRows - 1)} caches", "", ""]);
        }
        foreach (var row in rows)
        {
            table.AddRow(Markup.Escape(row[0]), row[1], row[2]);
        }
        string[] header = ["slab cache", "active", "objs"];
        var width = Enumerable.Range(0, 3).Sum(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max() + 1);
        return (table, width);
    }

    /// <summary>"cpuN 99.1%" entries, as many lines of <paramref name="width"/> as <see cref="CpuLines"/> allows.</summary>
    private static string CpuTlb(MetricsSnapshot m, int width)
    {
        const int entry = 13;
        var perLine = Math.Max(1, width / entry);
        var capacity = perLine * CpuLines;
        var cpus = m.Cpus.Count <= capacity ? m.Cpus.Count : capacity - 1;
        var entries = m.Cpus.Take(cpus).Select(c =>
            ("cpu" + c.Cpu.ToString(CultureInfo.InvariantCulture)).PadRight(6) + (c.TlbHits + c.TlbMisses == 0 ? "-" : Percent(c.TlbHits, c.TlbHits + c.TlbMisses)).PadLeft(6) + " ").ToList();
        if (cpus < m.Cpus.Count)
        {
            entries.Add($"+{m.Cpus.Count - cpus} cpus");
        }
        var lines = entries.Chunk(perLine).Select(line => string.Concat(line).TrimEnd());
        return "[bold]TLB hit % per CPU[/]\n" + string.Join('\n', lines);
    }

    private static string Percent(long part, long whole) => (100.0 * part / whole).ToString("F1", CultureInfo.InvariantCulture);
}
