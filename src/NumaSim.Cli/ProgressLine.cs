using System.Globalization;
using NumaSim.Actors.Coordination;
using NumaSim.Model.Snapshots;
using NumaSim.Replay;
using NumaSim.Results;

namespace NumaSim.Cli;

/// <summary>A progress line on a terminal (simulated time, operations, rate); silent when output is redirected.</summary>
public sealed class ProgressLine : IDisposable
{
    private readonly bool _enabled;
    private bool _shown;

    private ProgressLine(bool enabled) => _enabled = enabled;

    public static ProgressLine Create(bool quiet) => new(!quiet && !Console.IsOutputRedirected && !Console.IsErrorRedirected);

    public Action<SimProgress>? Report => _enabled ? Show : null;

    /// <summary>For `numasim replay`: trace time reached, events applied, events per second.</summary>
    public Action<ReplayProgress>? ReportReplay => _enabled ? ShowReplay : null;

    private void Show(SimProgress p)
    {
        if (p.Elapsed < TimeSpan.FromSeconds(1))
        {
            return;
        }
        var rate = p.Operations / Math.Max(p.Elapsed.TotalSeconds, 1e-9);
        Console.Error.Write(string.Create(CultureInfo.InvariantCulture,
            $"\rsimulated {p.SimulatedNs / 1000.0:F1} us  operations {p.Operations}  {rate:F0} ops/s  rounds {p.Rounds}   "));
        _shown = true;
    }

    private void ShowReplay(ReplayProgress p)
    {
        if (p.Elapsed < TimeSpan.FromSeconds(1))
        {
            return;
        }
        var rate = p.Events / Math.Max(p.Elapsed.TotalSeconds, 1e-9);
        Console.Error.Write(string.Create(CultureInfo.InvariantCulture,
            $"\rtrace time {p.SimulatedNs / 1e9:F3} s  events {p.Events}  {rate:F0} events/s   "));
        _shown = true;
    }

    public void Finish(RunSummary summary)
    {
        if (_shown)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\rdone: {summary.Operations} operations, {summary.SimulatedNs / 1000.0:F1} us simulated, {summary.WallSeconds:F2} s            "));
            _shown = false;
        }
    }

    /// <summary>Blanks the line, for what is printed after it.</summary>
    public void Clear()
    {
        if (_shown)
        {
            Console.Error.Write("\r" + new string(' ', 79) + "\r");
            _shown = false;
        }
    }

    public void Dispose()
    {
        if (_shown)
        {
            Console.Error.WriteLine();
        }
    }
}
