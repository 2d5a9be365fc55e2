namespace NumaSim.Telemetry.Exporters;

/// <summary>
/// What `numasim run` exports. OTLP is on with <see cref="OtlpEndpoint"/> or with the standard
/// OTEL_EXPORTER_OTLP_ENDPOINT variable (the exporter then reads every OTEL_EXPORTER_OTLP_* variable
/// itself); Prometheus with <see cref="PrometheusPort"/>. With neither, nothing is set up at all.
/// </summary>
public sealed record TelemetryOptions
{
    /// <summary>Parent-based sampling ratio of root spans: low enough that tracing costs little of the run's speed.</summary>
    public const double DefaultTraceSample = 0.001;

    public Uri? OtlpEndpoint { get; init; }

    /// <summary>grpc or http/protobuf; null: OTEL_EXPORTER_OTLP_PROTOCOL, else the exporter's default (grpc).</summary>
    public string? OtlpProtocol { get; init; }

    public int? PrometheusPort { get; init; }

    public string PrometheusHost { get; init; } = "127.0.0.1";

    public double TraceSample { get; init; } = DefaultTraceSample;

    /// <summary>How often the OTLP exporter pushes metrics.</summary>
    public TimeSpan MetricExportInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>service.instance.id: one per process, so the members of one run tell apart.</summary>
    public string InstanceId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    public bool OtlpFromEnvironment => OtlpEndpoint is null && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));

    public bool Otlp => OtlpEndpoint is not null || OtlpFromEnvironment;

    /// <summary>False in a cluster member: the coordinator folds the whole machine's figures and exports them once.</summary>
    public bool ExportMetrics { get; init; } = true;

    public bool Metrics => ExportMetrics && (Otlp || PrometheusPort is not null);

    public bool Tracing => Otlp;
}
