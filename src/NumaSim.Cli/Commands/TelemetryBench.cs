using System.Net;
using System.Net.Sockets;
using NumaSim.Actors.Coordination;
using NumaSim.Telemetry.Exporters;
using NumaSim.Telemetry.Metrics;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Cli.Commands;

/// <summary>
/// What telemetry costs: the same scenario with telemetry off, with metrics on (Prometheus endpoint,
/// live views, the latency histogram), and with metrics and tracing at the default sample rate
/// (spans exported by OTLP/HTTP to a loopback port nobody listens on, so exporting costs what it
/// costs without a collector's speed in the figure). Runs alternate; medians count.
/// </summary>
public static class TelemetryBench
{
    /// <summary>A throughput run lasts well under a second on this machine: seven of each make the medians hold still.</summary>
    private const int Rounds = 7;

    public static async Task<(double Off, double Metrics, double Traced)> OperationsPerSecondAsync(Scenario scenario, CancellationToken cancel)
    {
        var off = new List<double>();
        var metrics = new List<double>();
        var traced = new List<double>();
        for (var i = 0; i < Rounds; i++)
        {
            off.Add(await RunAsync(scenario, null, cancel).ConfigureAwait(false));
            metrics.Add(await RunAsync(scenario, new TelemetryOptions { PrometheusPort = FreePort() }, cancel).ConfigureAwait(false));
            traced.Add(await RunAsync(scenario, new TelemetryOptions
            {
                PrometheusPort = FreePort(),
                OtlpEndpoint = new Uri($"http://127.0.0.1:{FreePort()}"),
                OtlpProtocol = "http/protobuf",
            }, cancel).ConfigureAwait(false));
        }
        return (Median(off), Median(metrics), Median(traced));
    }

    private static async Task<double> RunAsync(Scenario scenario, TelemetryOptions? options, CancellationToken cancel)
    {
        using var host = options is null ? null : TelemetryHost.Start(options);
        var observers = host is null ? null : new RunObservers { Live = r => SimMetrics.Publish(SimulationMetrics.Of(r)) };
        var result = await SimulationRunner.RunAsync(scenario, null, cancel, null, observers).ConfigureAwait(false);
        return result.Summary.OperationsPerSecond;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return Math.Round(values[values.Count / 2]);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
