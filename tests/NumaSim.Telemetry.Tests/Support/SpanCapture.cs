using System.Diagnostics;
using NumaSim.Actors.Coordination;
using NumaSim.Workloads.Scenarios;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace NumaSim.Telemetry.Tests.Support;

/// <summary>A run of a scenario with an in-memory span exporter, and the wall-clock bounds of its start.</summary>
public sealed record SpanCapture(IReadOnlyList<Activity> Spans, SimulationResult Result, DateTime Before, DateTime After)
{
    public static async Task<SpanCapture> RunAsync(Scenario scenario, Sampler sampler)
    {
        var spans = new List<Activity>();
        SimulationResult result;
        var before = DateTime.UtcNow;
        using (var tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource(NumaSimTelemetry.Name)
            .SetSampler(sampler)
            .AddInMemoryExporter(spans)
            .Build())
        {
            result = await SimulationRunner.RunAsync(scenario);
            tracer.ForceFlush();
        }
        return new SpanCapture(spans, result, before, DateTime.UtcNow);
    }

    public IEnumerable<Activity> Named(string name) => Spans.Where(s => s.DisplayName == name);

    public IEnumerable<Activity> ChildrenOf(Activity parent) =>
        Spans.Where(s => s.ParentSpanId == parent.SpanId && s.TraceId == parent.TraceId);

    public static long Long(Activity span, string attribute) =>
        span.GetTagItem(attribute) switch
        {
            long l => l,
            int i => i,
            var other => throw new InvalidOperationException($"{span.DisplayName}: {attribute} is {other?.GetType().Name ?? "missing"}"),
        };
}
