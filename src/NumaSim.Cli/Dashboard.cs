using System.Globalization;
using NumaSim.Actors.Coordination;
using NumaSim.Formats.Sys;
using NumaSim.Telemetry.Metrics;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace NumaSim.Cli;

/// <summary>
/// The live view of `numasim run` on a terminal: progress, numastat per node, the biggest slab
/// caches and the TLB hit ratio per CPU, redrawn four times a second. It reads the snapshots the
/// coordinator folds between rounds (as the metrics exporters do) and draws on its own task, so
/// the simulation never waits for the terminal.
/// </summary>
public sealed class Dashboard : IAsyncDisposable
{
    public static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _drawing;
    private volatile StrongBox? _progress;
    private volatile MetricsSnapshot? _metrics;

    private Dashboard()
    {
        _drawing = AnsiConsole.Live(Render(null, null)).AutoClear(false).StartAsync(async live =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(Refresh, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // the run is over: one last frame
                }
                live.UpdateTarget(Render(_progress?.Value, _metrics));
                live.Refresh();
            }
        });
    }

    /// <summary>A dashboard when standard output is a terminal and the user did not ask for quiet; else null.</summary>
    public static Dashboard? Create(bool quiet) =>
        quiet || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive ? null : new Dashboard();

    public void Report(SimProgress progress) => _progress = new StrongBox(progress);

    public void Show(SimulationResult result) => _metrics = SimulationMetrics.Of(result);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _drawing.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>One frame; public so that its content can be checked without a terminal.</summary>
    public static IRenderable Render(SimProgress? progress, MetricsSnapshot? metrics)
    {
        var rows = new List<IRenderable>
        {
            new Markup(progress is { } p
                ? string.Create(CultureInfo.InvariantCulture,
                    $"[bold]simulated[/] {p.SimulatedNs / 1000.0:F1} us   [bold]operations[/] {p.Operations}   [bold]rate[/] {p.Operations / Math.Max(p.Elapsed.TotalSeconds, 1e-9):F0} ops/s   [bold]rounds[/] {p.Rounds}")
                : "[grey]starting...[/]"),
        };
        if (metrics is not null)
        {
            rows.Add(new Columns(Numastat(metrics), Slabs(metrics), Tlb(metrics)) { Expand = false });
        }
        return new Panel(new Rows(rows)).Header("numasim run").Expand();
    }

    private static Table Numastat(MetricsSnapshot m)
    {
        var table = new Table().Title("numastat").AddColumn("");
        foreach (var (node, _) in m.Numastat)
        {
            table.AddColumn(new TableColumn("node" + node.ToString(CultureInfo.InvariantCulture)).RightAligned());
        }
        for (var k = 0; k < NodeNumastatRenderer.Keys.Count; k++)
        {
            var key = k;
            table.AddRow([NodeNumastatRenderer.Keys[k], .. m.Numastat.Select(n => Items(n.Numa)[key].ToString(CultureInfo.InvariantCulture))]);
        }
        return table;
    }

    /// <summary>In the order of <see cref="NodeNumastatRenderer.Keys"/>.</summary>
    private static long[] Items(NumaSim.Model.Snapshots.NumaEvents e) => [e.Hit, e.Miss, e.Foreign, e.InterleaveHit, e.Local, e.Other];

    private static Table Slabs(MetricsSnapshot m)
    {
        var table = new Table().Title("top slab caches").AddColumn("cache").AddColumn(new TableColumn("active").RightAligned()).AddColumn(new TableColumn("objs").RightAligned());
        foreach (var (cache, active, objects) in m.Slabs.OrderByDescending(c => c.ActiveObjects).ThenBy(c => c.Cache, StringComparer.Ordinal).Take(6))
        {
            table.AddRow(Markup.Escape(cache), active.ToString(CultureInfo.InvariantCulture), objects.ToString(CultureInfo.InvariantCulture));
        }
        return table;
    }

    private static Table Tlb(MetricsSnapshot m)
    {
        var table = new Table().Title("TLB hit ratio").AddColumn("cpu").AddColumn(new TableColumn("hits").RightAligned());
        foreach (var cpu in m.Cpus.Take(16))
        {
            var lookups = cpu.TlbHits + cpu.TlbMisses;
            table.AddRow(cpu.Cpu.ToString(CultureInfo.InvariantCulture), lookups == 0 ? "-" : (100.0 * cpu.TlbHits / lookups).ToString("F1", CultureInfo.InvariantCulture) + " %");
        }
        return table;
    }

    /// <summary>A box around a struct, so that a progress update is published in one reference write.</summary>
    private sealed record StrongBox(SimProgress Value);
}
