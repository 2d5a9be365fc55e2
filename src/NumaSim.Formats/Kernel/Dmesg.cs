using System.Globalization;
using NumaSim.Model.Snapshots;
using NumaSim.Results;

namespace NumaSim.Formats.Kernel;

/// <summary>
/// What the simulated kernel printed, as dmesg shows it: every detected bug and warning in simulated-time order with
/// its timestamp, then the panic. The same lines go to standard error and into report.html.
/// </summary>
public static class Dmesg
{
    public static IEnumerable<string> Lines(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        foreach (var error in summary.Errors)
        {
            var stamp = Stamp(error.SimulatedNs);
            foreach (var line in error.Message.Split('\n'))
            {
                yield return $"{stamp} {line}";
            }
        }
        if (summary.Panic is not null)
        {
            yield return $"{Stamp(summary.SimulatedNs)} {summary.Panic}";
        }
    }

    /// <summary>dmesg's "[seconds.microseconds]" of simulated time.</summary>
    public static string Stamp(long ns) =>
        string.Create(CultureInfo.InvariantCulture, $"[{ns / 1_000_000_000,5}.{ns / 1000 % 1_000_000:D6}]");
}
