using NumaSim.Actors.Coordination;
using NumaSim.Telemetry.Metrics;

namespace NumaSim.Cli;

/// <summary>The metrics snapshot of a run's state, the same for the exporters, the dashboard and the bench.</summary>
public static class SimulationMetrics
{
    public static MetricsSnapshot Of(SimulationResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return MetricsSnapshot.From(r.Machine, r.Summary, r.Cpus, r.Latency) with
        {
            AllocationsByClass = r.AllocationsByClass,
            AccessLatency = MetricsSnapshot.ByNodePair(r.LatencyByNodePair),
        };
    }
}
