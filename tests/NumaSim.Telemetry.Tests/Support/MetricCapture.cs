using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace NumaSim.Telemetry.Tests.Support;

/// <summary>Collects the NumaSim meter once into memory and reads points by metric name and attributes.</summary>
public sealed class MetricCapture
{
    private readonly List<Metric> _metrics = [];

    public static MetricCapture Collect(Action? whileListening = null)
    {
        var capture = new MetricCapture();
        using var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(NumaSimTelemetry.Name)
            .AddInMemoryExporter(capture._metrics)
            .Build();
        whileListening?.Invoke();
        provider.ForceFlush();
        return capture;
    }

    public bool Has(string name) => _metrics.Any(m => m.Name == name);

    /// <summary>The point's value (a sum for counters, the last value for gauges) whose attributes include all of <paramref name="attributes"/>.</summary>
    public long Value(string name, params (string Key, object Value)[] attributes)
    {
        var metric = _metrics.Last(m => m.Name == name);
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var tags = new Dictionary<string, object?>();
            foreach (var tag in point.Tags)
            {
                tags[tag.Key] = tag.Value;
            }
            // Attributes compare as text: an int attribute may come back as a long.
            if (attributes.All(a => tags.TryGetValue(a.Key, out var v) && Text(v) == Text(a.Value)))
            {
                return metric.MetricType is MetricType.LongGauge ? point.GetGaugeLastValueLong() : point.GetSumLong();
            }
        }
        throw new InvalidOperationException($"{name}: no point with {string.Join(", ", attributes)}");
    }

    private static string? Text(object? value) => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Every point's count in the last export (exports are cumulative: each holds all before it).</summary>
    public long HistogramCount(string name)
    {
        long count = 0;
        foreach (ref readonly var point in _metrics.Last(m => m.Name == name).GetMetricPoints())
        {
            count += point.GetHistogramCount();
        }
        return count;
    }
}
