using System.Diagnostics;
using System.Globalization;
using NumaSim.Actors.Coordination;
using NumaSim.Replay;
using NumaSim.Results;

namespace NumaSim.Cli;

/// <summary>
/// A progress line on a terminal (simulated time, operations, rate, and what is left where the scenario plans its
/// work); silent when output is redirected. It is drawn on its own timer from the first second on, so a run whose
/// first round is long still shows that it is booting, and a run shorter than a second prints nothing.
/// </summary>
public sealed class ProgressLine : IDisposable
{
    private static readonly TimeSpan FirstDraw = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Redraw = TimeSpan.FromMilliseconds(250);

    private readonly Lock _console = new();
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private readonly Timer? _timer;
    private SimProgress? _run;
    private ReplayProgress? _replay;
    private int _width;
    private bool _shown;
    private bool _done;

    private ProgressLine(bool enabled)
    {
        if (enabled)
        {
            _timer = new Timer(_ => Draw(), null, FirstDraw, Redraw);
        }
    }

    public static ProgressLine Create(bool quiet) => new(!quiet && !Console.IsOutputRedirected && !Console.IsErrorRedirected);

    public Action<SimProgress>? Report => _timer is null ? null : p => _run = p;

    /// <summary>For `numasim replay`: trace time reached, events applied, events per second.</summary>
    public Action<ReplayProgress>? ReportReplay => _timer is null ? null : p => _replay = p;

    /// <summary>A run's line: where it stands and, where its scenario plans its work, the share done and the time left.</summary>
    public static string Text(SimProgress p)
    {
        var rate = p.Operations / Math.Max(p.Elapsed.TotalSeconds, 1e-9);
        return string.Create(CultureInfo.InvariantCulture,
            $"simulated {p.SimulatedNs / 1000.0:F1} us  operations {p.Operations}  {rate:F0} ops/s  rounds {p.Rounds}{Estimate(p)}");
    }

    /// <summary>"  12 % done, about 40 s left", or nothing when the scenario plans nothing to measure by.</summary>
    public static string Estimate(SimProgress p) =>
        p.Done is { } done
            ? string.Create(CultureInfo.InvariantCulture, $"  {Math.Floor(done * 100):F0} % done{(p.Remaining is { } left ? ", about " + Duration(left) + " left" : "")}")
            : "";

    /// <summary>A wall duration as a person reads it: 40 s, 3 min 05 s, 2 h 07 min.</summary>
    public static string Duration(TimeSpan t) => t.TotalSeconds switch
    {
        < 1 => "<1 s",
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:F0} s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes} min {t.Seconds:00} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours} h {t.Minutes:00} min"),
    };

    private void Draw()
    {
        lock (_console)
        {
            if (_done)
            {
                return;
            }
            var text = (_run, _replay) switch
            {
                ({ } p, _) => Text(p),
                (_, { } r) => string.Create(CultureInfo.InvariantCulture,
                    $"trace time {r.SimulatedNs / 1e9:F3} s  events {r.Events}  {r.Events / Math.Max(r.Elapsed.TotalSeconds, 1e-9):F0} events/s"),
                _ => string.Create(CultureInfo.InvariantCulture, $"starting: booting the machine and the first round ({_wall.Elapsed.TotalSeconds:F0} s)"),
            };
            // Padded over a longer line drawn before.
            _width = Math.Max(_width, text.Length);
            Console.Error.Write("\r" + text.PadRight(_width));
            _shown = true;
        }
    }

    public void Finish(RunSummary summary)
    {
        lock (_console)
        {
            _done = true;
            if (_shown)
            {
                Console.Error.WriteLine("\r" + string.Create(CultureInfo.InvariantCulture,
                    $"done: {summary.Operations} operations, {summary.SimulatedNs / 1000.0:F1} us simulated, {summary.WallSeconds:F2} s").PadRight(_width));
                _shown = false;
            }
        }
    }

    /// <summary>Blanks the line, for what is printed after it.</summary>
    public void Clear()
    {
        lock (_console)
        {
            _done = true;
            if (_shown)
            {
                Console.Error.Write("\r" + new string(' ', _width) + "\r");
                _shown = false;
            }
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        lock (_console)
        {
            _done = true;
            if (_shown)
            {
                Console.Error.WriteLine();
                _shown = false;
            }
        }
    }
}
