using System.CommandLine;
using System.Globalization;
using NumaSim.Telemetry.Exporters;

namespace NumaSim.Cli.Commands;

/// <summary>`numasim run`'s telemetry options: OTLP, Prometheus, trace sampling, and lingering to be scraped.</summary>
public sealed class TelemetryCliOptions
{
    public Option<string?> OtlpEndpoint { get; } = new("--otlp-endpoint")
    {
        Description = "Export spans and metrics by OTLP to this collector (OTEL_EXPORTER_OTLP_* variables apply; "
            + "OTEL_EXPORTER_OTLP_ENDPOINT alone also turns OTLP on)",
        HelpName = "URL",
    };

    public Option<string?> OtlpProtocol { get; } = new("--otlp-protocol")
    {
        Description = "grpc or http/protobuf (default: OTEL_EXPORTER_OTLP_PROTOCOL, else grpc)",
        HelpName = "PROTOCOL",
    };

    public Option<int?> PrometheusPort { get; } = new("--prometheus-port")
    {
        Description = "Serve metrics for Prometheus at http://HOST:P/metrics while the run goes on",
        HelpName = "P",
    };

    public Option<string> PrometheusHost { get; } = new("--prometheus-host")
    {
        Description = "Address the Prometheus endpoint binds to (unsecured: keep it on loopback)",
        HelpName = "HOST",
        DefaultValueFactory = _ => "127.0.0.1",
    };

    public Option<double> TraceSample { get; } = new("--trace-sample")
    {
        Description = "Fraction of cross-node operations traced (parent-based: the serving side follows)",
        HelpName = "RATIO",
        DefaultValueFactory = _ => TelemetryOptions.DefaultTraceSample,
    };

    public Option<double> Linger { get; } = new("--linger")
    {
        Description = "After the run, keep serving the final metrics for this many seconds (or until Ctrl-C), "
            + "so that Prometheus scrapes them",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => 0,
    };

    /// <summary>The options a cluster member takes: its spans go where the run's go, its metrics are the coordinator's.</summary>
    public void AddTracingTo(Command command)
    {
        command.Options.Add(OtlpEndpoint);
        command.Options.Add(OtlpProtocol);
        command.Options.Add(TraceSample);
    }

    /// <summary>The tracing options again, as arguments for the members a run starts.</summary>
    public static IReadOnlyList<string> MemberArguments(TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var args = new List<string> { "--trace-sample", options.TraceSample.ToString("R", CultureInfo.InvariantCulture) };
        if (options.OtlpEndpoint is { } endpoint)
        {
            args.AddRange(["--otlp-endpoint", endpoint.ToString()]);
        }
        if (options.OtlpProtocol is { } protocol)
        {
            args.AddRange(["--otlp-protocol", protocol]);
        }
        return args;
    }

    public void AddTo(Command command)
    {
        command.Options.Add(OtlpEndpoint);
        command.Options.Add(OtlpProtocol);
        command.Options.Add(PrometheusPort);
        command.Options.Add(PrometheusHost);
        command.Options.Add(TraceSample);
        command.Options.Add(Linger);
    }

    /// <exception cref="FormatException">An option's value is out of range.</exception>
    public TelemetryOptions Read(ParseResult parse)
    {
        var sample = parse.GetValue(TraceSample);
        if (sample is < 0 or > 1 || double.IsNaN(sample))
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"--trace-sample: {sample} is not a ratio between 0 and 1"));
        }
        var port = parse.CommandResult.Command.Options.Contains(PrometheusPort) ? parse.GetValue(PrometheusPort) : null;
        if (port is < 1 or > 65535)
        {
            throw new FormatException($"--prometheus-port: {port} is not a TCP port");
        }
        if (parse.CommandResult.Command.Options.Contains(Linger) && parse.GetValue(Linger) < 0)
        {
            throw new FormatException("--linger: seconds must not be negative");
        }
        var endpoint = parse.GetValue(OtlpEndpoint);
        Uri? uri = null;
        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out uri))
        {
            throw new FormatException($"--otlp-endpoint: '{endpoint}' is not an absolute URL");
        }
        var protocol = parse.GetValue(OtlpProtocol);
        if (protocol is not null and not "grpc" and not "http/protobuf")
        {
            throw new FormatException($"--otlp-protocol: '{protocol}': use grpc or http/protobuf");
        }
        return new TelemetryOptions
        {
            OtlpEndpoint = uri,
            OtlpProtocol = protocol,
            PrometheusPort = port,
            PrometheusHost = parse.CommandResult.Command.Options.Contains(PrometheusHost) ? parse.GetValue(PrometheusHost)! : "127.0.0.1",
            TraceSample = sample,
        };
    }
}
