using NumaSim.Model.Snapshots;

namespace NumaSim.Cli;

/// <summary>
/// What the simulated kernel printed, as dmesg would show it: every detected bug and warning in
/// simulated-time order with its timestamp, then the panic. Written after the outputs, so the
/// order does not depend on which actor ran first.
/// </summary>
public static class KernelLog
{
    public static void Print(RunSummary summary, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var error in summary.Errors)
        {
            var stamp = Stamp(error.SimulatedNs);
            foreach (var line in error.Message.Split('\n'))
            {
                writer.WriteLine($"{stamp} {line}");
            }
        }
        if (summary.Panic is not null)
        {
            writer.WriteLine($"{Stamp(summary.SimulatedNs)} {summary.Panic}");
        }
    }

    /// <summary>dmesg's "[seconds.microseconds]" of simulated time.</summary>
    private static string Stamp(long ns) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{ns / 1_000_000_000,5}.{ns / 1000 % 1_000_000:D6}]");
}
