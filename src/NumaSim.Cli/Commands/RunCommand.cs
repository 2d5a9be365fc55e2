using System.CommandLine;
using System.Globalization;
using System.Net;
using NumaSim.Actors.Coordination;
using NumaSim.Formats.Output;
using NumaSim.Formats.Report;
using NumaSim.Telemetry.Exporters;
using NumaSim.Telemetry.Metrics;

namespace NumaSim.Cli.Commands;

/// <summary>`numasim run`: simulate a scenario and write the output tree.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var scenario = new ScenarioOptions();
        var telemetry = new TelemetryCliOptions();
        var output = new Option<string>("--out") { Description = "Output directory", HelpName = "DIR", DefaultValueFactory = _ => "numasim-out" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress line or live dashboard" };
        var processes = new Option<int>("--processes") { Description = "Cluster processes to spread the nodes over (only 1 for now)", HelpName = "N", DefaultValueFactory = _ => 1 };
        var command = new Command("run", "Simulate a scenario and write /proc, /sys and summary.json under --out.\n"
            + "With no SCENARIO it runs config/scenarios/default.conf on its embedded topology.");
        scenario.AddTo(command, withTopology: true);
        command.Options.Add(output);
        command.Options.Add(quiet);
        command.Options.Add(processes);
        telemetry.AddTo(command);
        command.SetAction((parse, cancel) => CliErrors.Guard(async () =>
        {
            if (parse.GetValue(processes) != 1)
            {
                return CliErrors.BadInput("--processes: multi-process runs are not built yet; use 1");
            }
            var loaded = scenario.Load(parse);
            var telemetryOptions = telemetry.Read(parse);
            var dir = parse.GetValue(output)!;
            TelemetryHost? host;
            try
            {
                host = TelemetryHost.Start(telemetryOptions);
            }
            catch (HttpListenerException e)
            {
                return CliErrors.BadInput($"--prometheus-port {telemetryOptions.PrometheusPort}: cannot listen on {telemetryOptions.PrometheusHost}: {e.Message}");
            }
            using (host)
            {
                // On a terminal the dashboard replaces the progress line.
                var dashboard = Dashboard.Create(parse.GetValue(quiet));
                using var progress = ProgressLine.Create(parse.GetValue(quiet) || dashboard is not null);
                var timeline = new List<TimelinePoint>();
                var metricsOn = host?.Options.Metrics == true;
                var observers = new RunObservers
                {
                    Live = (metricsOn, dashboard) switch
                    {
                        (true, { } d) => r => { Publish(r); d.Show(r); },
                        (true, null) => Publish,
                        (false, { } d) => d.Show,
                        _ => null,
                    },
                    LiveInterval = dashboard is null ? TimeSpan.FromSeconds(1) : Dashboard.Refresh,
                    Sample = r => timeline.Add(TimelinePoint.Of(r.Machine, r.Summary.SimulatedNs)),
                };
                SimulationResult result;
                try
                {
                    // DIR/proc/slabinfo follows the run about once a second, so `numasim slabtop DIR` shows it live.
                    result = await SimulationRunner.RunAsync(
                        loaded, dashboard is null ? progress.Report : dashboard.Report, cancel, rows => OutputTreeWriter.WriteLiveSlabinfo(dir, rows), observers).ConfigureAwait(false);
                    dashboard?.Show(result);
                }
                finally
                {
                    if (dashboard is not null)
                    {
                        await dashboard.DisposeAsync().ConfigureAwait(false);
                    }
                }
                progress.Finish(result.Summary);
                Publish(result);
                OutputTreeWriter.Write(dir, result.Machine, result.Summary);
                timeline.Add(TimelinePoint.Of(result.Machine, result.Summary.SimulatedNs));
                ReportWriter.Write(dir, new RunReport(result.Machine, result.Summary, result.Cpus, result.Traffic, result.Latency, timeline));
                KernelLog.Print(result.Summary, Console.Error);
                await LingerAsync(host, parse.GetValue(telemetry.Linger), cancel).ConfigureAwait(false);
                if (result.Summary.Panic is not null)
                {
                    return ExitCodes.KernelPanic;
                }
                return result.Summary.Complete ? ExitCodes.Success : ExitCodes.RunFailed;
            }
        }));
        return command;
    }

    private static void Publish(SimulationResult result) =>
        SimMetrics.Publish(SimulationMetrics.Of(result));

    /// <summary>Keeps the exporters up with the final figures, for a scraper that comes after the run; Ctrl-C ends it early.</summary>
    private static async Task LingerAsync(TelemetryHost? host, double seconds, CancellationToken cancel)
    {
        if (host is null || seconds <= 0)
        {
            return;
        }
        if (host.Options.PrometheusPort is { } port)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"numasim: serving the final metrics at http://{host.Options.PrometheusHost}:{port}/metrics for {seconds:0.###} s (Ctrl-C to stop)"));
        }
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds), cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: the run is over and its outputs are written; stop serving.
        }
    }
}
