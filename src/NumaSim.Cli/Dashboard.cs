using NumaSim.Actors.Coordination;
using NumaSim.Model.Snapshots;
using NumaSim.Telemetry.Metrics;
using Spectre.Console;
using NumaSim.Results;

namespace NumaSim.Cli;

/// <summary>
/// The live view of `numasim run` on a terminal (see <see cref="DashboardFrame"/>), redrawn four times a second. It
/// reads the snapshots the coordinator folds between rounds (as the metrics exporters do) and draws on its own task,
/// so the simulation never waits for the terminal. Its last frame is the run's result, as summary.json has it.
/// </summary>
public sealed class Dashboard : IAsyncDisposable
{
    public static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _drawing;
    private volatile StrongBox? _progress;
    private volatile MetricsSnapshot? _metrics;
    private volatile RunSummary? _final;

    private Dashboard()
    {
        _drawing = AnsiConsole.Live(Frame()).AutoClear(false).StartAsync(async live =>
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
                live.UpdateTarget(Frame());
                live.Refresh();
            }
        });
    }

    /// <summary>A dashboard when standard output is a terminal and the user did not ask for quiet; else null.</summary>
    public static Dashboard? Create(bool quiet) =>
        quiet || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive ? null : new Dashboard();

    public void Report(SimProgress progress) => _progress = new StrongBox(progress);

    /// <summary>A state the coordinator folded during the run.</summary>
    public void Show(SimulationResult result)
    {
        if (_final is null)
        {
            _metrics = SimulationMetrics.Of(result);
        }
    }

    /// <summary>The run's result: the last frame shows it instead of the last progress report.</summary>
    public void Finish(SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _metrics = SimulationMetrics.Of(result);
        _final = result.Summary;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _drawing.ConfigureAwait(false);
        _stop.Dispose();
    }

    private Spectre.Console.Rendering.IRenderable Frame() =>
        DashboardFrame.Render(_progress?.Value, _metrics, _final, AnsiConsole.Profile.Width);

    /// <summary>A box around a struct, so that a progress update is published in one reference write.</summary>
    private sealed record StrongBox(SimProgress Value);
}
