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

    [ThreadStatic]
    private static ulong _draw;

    /// <summary>
    /// The head-sampling ratio of root spans, drawn here before the SDK is asked: a root the SDK
    /// would drop still costs it an Activity's options, a trace id and a sampler call, hundreds of
    /// ns on paths that run a million times a second. <see cref="Exporters.TelemetryHost"/> sets it
    /// to --trace-sample with ParentBased(AlwaysOn) behind it, so children still follow their
    /// parent. 1 (the default) leaves every decision to the SDK's own sampler.
    /// </summary>
    public static double RootRatio { get; set; } = 1;

    /// <summary>A root span, started at simulated time <paramref name="startNs"/>; null when not sampled.</summary>
    public static Activity? StartRoot(string name, SimEpoch epoch, long startNs)
    {
        var ratio = RootRatio;
        if (ratio < 1 && NextUnit() >= ratio)
        {
            return null;
        }
        return Start(name, default, epoch, startNs);
    }

    /// <summary>A uniform draw in [0, 1) from a per-thread xorshift: sampling never touches the simulation's random streams.</summary>
    private static double NextUnit()
    {
        var x = _draw;
        if (x == 0)
        {
            x = (ulong)Environment.CurrentManagedThreadId * 0x9E3779B97F4A7C15UL | 1;
        }
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        _draw = x;
        return (x >> 11) * (1.0 / (1UL << 53));
    }

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
