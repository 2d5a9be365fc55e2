using NumaSim.Formats.Kernel;
using NumaSim.Model.Snapshots;
using NumaSim.Results;

namespace NumaSim.Cli;

/// <summary>
/// What the simulated kernel printed (<see cref="Dmesg"/>) on standard error. Written after the outputs, so the
/// order does not depend on which actor ran first.
/// </summary>
public static class KernelLog
{
    public static void Print(RunSummary summary, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var line in Dmesg.Lines(summary))
        {
            writer.WriteLine(line);
        }
    }
}
