using NumaSim.Telemetry.Metrics;
using NumaSim.Telemetry.Tracing;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NumaSim.Telemetry.Exporters;

/// <summary>
/// The tracer and meter providers of one process, with the exporters the options ask for. Dispose
/// flushes what is still buffered (the last spans, the final metrics) to OTLP.
/// </summary>
public sealed class TelemetryHost : IDisposable
{
    private readonly TracerProvider? _tracer;
    private readonly MeterProvider? _meter;

    private TelemetryHost(TelemetryOptions options)
    {
        Options = options;
        var resource = ResourceBuilder.CreateDefault().AddService("numasim", serviceInstanceId: options.InstanceId);
        if (options.Tracing)
        {
            // Roots are drawn at the ratio before the SDK sees them (cheap); the SDK keeps those and their children.
            SimSpans.RootRatio = options.TraceSample;
            _tracer = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(resource)
                .AddSource(NumaSimTelemetry.Name)
                .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()))
                .AddOtlpExporter(o => Configure(o, options, "v1/traces"))
                .Build();
        }
        if (options.Metrics)
        {
            _ = SimMetrics.Current; // creates the instruments
            var builder = Sdk.CreateMeterProviderBuilder()
                .SetResourceBuilder(resource)
                .AddMeter(NumaSimTelemetry.Name);
            if (options.Otlp)
            {
                builder.AddOtlpExporter((o, reader) =>
                {
                    Configure(o, options, "v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.MetricExportInterval.TotalMilliseconds;
                    reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
                });
            }
            if (options.PrometheusPort is { } port)
            {
                builder.AddPrometheusHttpListener(o =>
                {
                    o.Host = options.PrometheusHost;
                    o.Port = port;
                    o.ScrapeResponseCacheDurationMilliseconds = 0;
                });
            }
            _meter = builder.Build();
        }
    }

    public TelemetryOptions Options { get; }

    /// <summary>The host for these options, or null when they export nothing (telemetry off: no provider, no listener).</summary>
    public static TelemetryHost? Start(TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Metrics || options.Tracing ? new TelemetryHost(options) : null;
    }

    public void Dispose()
    {
        _tracer?.ForceFlush();
        _meter?.ForceFlush();
        _tracer?.Dispose();
        _meter?.Dispose();
        SimSpans.RootRatio = 1;
    }

    /// <summary>
    /// An endpoint given on the command line is the collector's base address; with http/protobuf
    /// the signal's path is appended, as the exporter itself does for one from the environment.
    /// </summary>
    private static void Configure(OtlpExporterOptions o, TelemetryOptions options, string signalPath)
    {
        if (options.OtlpProtocol is { } protocol)
        {
            o.Protocol = protocol switch
            {
                "grpc" => OtlpExportProtocol.Grpc,
                "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
                _ => throw new ArgumentException($"OTLP protocol '{protocol}': use grpc or http/protobuf", nameof(options)),
            };
        }
        if (options.OtlpEndpoint is { } endpoint)
        {
            o.Endpoint = o.Protocol == OtlpExportProtocol.HttpProtobuf && !endpoint.AbsolutePath.EndsWith(signalPath, StringComparison.Ordinal)
                ? new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + "/" + signalPath)
                : endpoint;
        }
    }
}
