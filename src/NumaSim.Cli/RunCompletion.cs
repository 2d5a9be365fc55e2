using System.Globalization;
using NumaSim.Model.Snapshots;
using NumaSim.Results;

namespace NumaSim.Cli;

/// <summary>The line `numasim run` ends with on standard error: where the results went and what the run did.</summary>
public static class RunCompletion
{
    /// <param name="wall">From the command's start to its outputs written.</param>
    public static string Line(string dir, RunSummary summary, TimeSpan wall)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(summary);
        return string.Create(CultureInfo.InvariantCulture,
            $"numasim: wrote {dir.TrimEnd('/')}/: {summary.Operations} operations, {DashboardFrame.SimulatedUs(summary.SimulatedNs)} us simulated, {wall.TotalSeconds:F2} s wall");
    }
}
