namespace NumaSim.Telemetry.Tracing;

/// <summary>
/// Where simulated time 0 sits on the wall clock: the run's start. Wall time has 100 ns ticks, so
/// a span shorter than a tick is stretched to one tick rather than shown as zero (which would make
/// Activity.Stop take the current wall time); sim.latency_ns keeps the exact figure.
/// </summary>
public readonly record struct SimEpoch(DateTime StartUtc)
{
    public static SimEpoch Now() => new(DateTime.UtcNow);

    public DateTime At(long simulatedNs) => StartUtc.AddTicks(simulatedNs / 100);

    public DateTime EndAt(long startNs, long endNs)
    {
        var start = At(startNs);
        var end = At(endNs);
        return end > start ? end : start.AddTicks(1);
    }
}
