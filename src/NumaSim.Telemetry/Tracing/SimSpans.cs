using System.Diagnostics;

namespace NumaSim.Telemetry.Tracing;

/// <summary>
/// Spans on the simulated time line: a span's start and end are the run's wall-clock start plus
/// simulated nanoseconds, so a tracing backend shows simulated latency as span duration. Callers
/// check <see cref="Enabled"/> first: with no listener nothing here runs and nothing is allocated.
/// Spans are started with an explicit parent and never left as Activity.Current, because an actor
/// thread runs many components one after the other and an ambient span would leak between them.
/// </summary>
public static class SimSpans
{
    /// <summary>True when some tracer listens to the NumaSim source (a single field check otherwise).</summary>
    public static bool Enabled => NumaSimTelemetry.Source.HasListeners();

    /// <summary>A root span (the sampler decides), started at simulated time <paramref name="startNs"/>.</summary>
    public static Activity? StartRoot(string name, SimEpoch epoch, long startNs) =>
        Start(name, default, epoch, startNs);

    /// <summary>
    /// The span of the actor that serves a traced request; null when the request carried no
    /// context (its trace was not sampled), so unsampled traffic costs no span here.
    /// </summary>
    public static Activity? StartChild(string name, string? traceparent, SimEpoch epoch, long startNs)
    {
        if (traceparent is null || !ActivityContext.TryParse(traceparent, null, isRemote: true, out var parent))
        {
            return null;
        }
        return Start(name, parent, epoch, startNs);
    }

    /// <summary>Ends <paramref name="span"/> at simulated time <paramref name="endNs"/> and records the simulated latency.</summary>
    public static void End(Activity span, SimEpoch epoch, long startNs, long endNs)
    {
        ArgumentNullException.ThrowIfNull(span);
        if (span.IsAllDataRequested)
        {
            span.SetTag(SpanAttributeNames.LatencyNs, endNs - startNs);
        }
        span.SetEndTime(epoch.EndAt(startNs, endNs));
        var current = Activity.Current;
        span.Stop();
        // Activity.Current is an AsyncLocal: writing it costs, so only when Stop changed it.
        if (Activity.Current != (current == span ? null : current))
        {
            Activity.Current = current == span ? null : current;
        }
    }

    /// <summary>The W3C traceparent of a span, to carry inside an actor message; null for no span.</summary>
    public static string? Traceparent(Activity? span) =>
        span is null ? null : $"00-{span.TraceId.ToHexString()}-{span.SpanId.ToHexString()}-{((span.ActivityTraceFlags & ActivityTraceFlags.Recorded) != 0 ? "01" : "00")}";

    private static Activity? Start(string name, ActivityContext parent, SimEpoch epoch, long startNs)
    {
        // Activity.Current is an AsyncLocal, and writing one is dear: an unsampled span (the usual
        // case) must cost no write. On an actor thread it is null, as no span is ever left current.
        var current = Activity.Current;
        if (current is not null)
        {
            Activity.Current = null;
        }
        var span = NumaSimTelemetry.Source.StartActivity(name, ActivityKind.Internal, parent, startTime: epoch.At(startNs));
        if (span is not null || current is not null)
        {
            Activity.Current = current;
        }
        return span;
    }
}
