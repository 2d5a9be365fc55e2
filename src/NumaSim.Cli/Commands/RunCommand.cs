using System.CommandLine;
using System.Globalization;
using System.Net;
using NumaSim.Actors.Coordination;
using NumaSim.Cluster.Hosting;
using NumaSim.Cluster.Security;
using NumaSim.Formats.Output;
using NumaSim.Report;
using NumaSim.Results;
using NumaSim.Telemetry.Exporters;
using NumaSim.Telemetry.Metrics;
using NumaSim.Workloads.Config;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Cli.Commands;

/// <summary>`numasim run`: simulate a scenario and write the output tree.</summary>
public static class RunCommand
{
    /// <summary>Member processes started on this machine per core at most.</summary>
    private const int MembersPerCore = 4;

    public static Command Create()
    {
        var scenario = new ScenarioOptions();
        var telemetry = new TelemetryCliOptions();
        var output = new Option<string>("--out") { Description = "Output directory", HelpName = "DIR", DefaultValueFactory = _ => "numasim-out" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress line or live dashboard" };
        var processes = new Option<int>("--processes")
        {
            Description = "OS processes to spread the NUMA nodes over: this one and N-1 `numasim member` processes on 127.0.0.1, "
                + "one Akka.Cluster over mutually authenticated TLS; the result is the same for any N",
            HelpName = "N",
            DefaultValueFactory = _ => 1,
        };
        var certificate = new Option<string?>("--certificate")
        {
            Description = $"With --processes: the cluster's PKCS#12 certificate instead of a throwaway one made for the run (its password in ${ChildMembers.PasswordVariable})",
            HelpName = "PFX",
        };
        var external = new Option<bool>("--external-members")
        {
            Description = "With --processes: start no member processes; wait for N-1 `numasim member` processes started by hand (deploy/) to join",
        };
        var hostname = new Option<string>("--hostname") { Description = "With --processes: the coordinator's bind address", HelpName = "H", DefaultValueFactory = _ => "127.0.0.1" };
        var publicHostname = new Option<string?>("--public-hostname") { Description = "With --processes: the address members reach the coordinator at, if not --hostname", HelpName = "H" };
        var port = new Option<int>("--port") { Description = "With --processes: the coordinator's port (0: any free port)", HelpName = "P", DefaultValueFactory = _ => 0 };
        var seeds = new Option<string?>("--seed-nodes") { Description = "With --processes: join the cluster at these seeds instead of being its seed", HelpName = "A,B" };
        var command = new Command("run", "Simulate a scenario and write /proc, /sys and summary.json under --out.\n"
            + "With no SCENARIO it runs config/scenarios/default.conf on its embedded topology.");
        scenario.AddTo(command, withTopology: true);
        command.Options.Add(output);
        command.Options.Add(quiet);
        command.Options.Add(processes);
        command.Options.Add(certificate);
        command.Options.Add(external);
        command.Options.Add(hostname);
        command.Options.Add(publicHostname);
        command.Options.Add(port);
        command.Options.Add(seeds);
        telemetry.AddTo(command);
        command.SetAction(Interruption.Handle((parse, cancel) => CliErrors.Guard(async () =>
        {
            var wall = System.Diagnostics.Stopwatch.StartNew();
            var count = parse.GetValue(processes);
            if (count < 1)
            {
                return CliErrors.BadInput($"--processes: must be at least 1, found {count}");
            }
            if (count > 1 && parse.GetValue(scenario.TopologyProcfs) is not null)
            {
                return CliErrors.BadInput("--topology-procfs with --processes: import the machine to a file first (numasim topology import ROOT > FILE) and pass --topology FILE");
            }
            var loaded = scenario.Load(parse);
            if (count > loaded.Topology.Nodes.Count)
            {
                // Before any member process starts: each process hosts at least one node.
                return CliErrors.BadInput($"--processes {count}: the machine has {loaded.Topology.Nodes.Count} NUMA node(s) and each process hosts at least one; give at most {loaded.Topology.Nodes.Count}");
            }
            if (!parse.GetValue(external) && HostMemoryCheck.Problem(loaded.Topology) is { } memory)
            {
                return CliErrors.Environment(memory);
            }
            if (count > MembersPerCore * Environment.ProcessorCount && !parse.GetValue(external))
            {
                // Each member is a .NET process of its own: past a few per core they only wait for each other.
                return CliErrors.Environment($"--processes {count}: this machine has {Environment.ProcessorCount} core(s); run at most {MembersPerCore * Environment.ProcessorCount} processes on it (--external-members spreads them over machines)");
            }
            foreach (var line in loaded.NotModelled)
            {
                Console.Error.WriteLine($"numasim: warning: {line}");
            }
            var telemetryOptions = telemetry.Read(parse);
            var target = parse.GetValue(output)!;
            if (string.IsNullOrWhiteSpace(target))
            {
                return CliErrors.BadInput("--out: give a directory (an empty name would write into the current one)");
            }
            TlsSettings? userTls = null;
            CoordinatorEndpoint? endpoint = null;
            if (count > 1)
            {
                var pfx = parse.GetValue(certificate);
                if (pfx is not null && !File.Exists(pfx))
                {
                    return CliErrors.NotAFile("--certificate", pfx);
                }
                userTls = pfx is null ? null : new TlsSettings(Path.GetFullPath(pfx), Environment.GetEnvironmentVariable(ChildMembers.PasswordVariable));
                endpoint = new CoordinatorEndpoint(
                    parse.GetValue(hostname)!,
                    parse.GetValue(port),
                    (parse.GetValue(seeds) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    !parse.GetValue(external))
                {
                    PublicHostname = parse.GetValue(publicHostname),
                    MemberArguments = TelemetryCliOptions.MemberArguments(telemetryOptions),
                };
                if (!endpoint.StartMembers && userTls is null)
                {
                    return CliErrors.BadInput("--external-members: give the cluster's certificate with --certificate (members started by hand cannot know a throwaway one)");
                }
            }
            // Before anything starts: the ports named must be free, the location must take the tree, and no other
            // run may be writing it.
            var busy = (count > 1 ? PortCheck.Problem("--port", endpoint!.Hostname, endpoint.Port) : null)
                ?? (telemetryOptions.PrometheusPort is { } metricsPort ? PortCheck.Problem("--prometheus-port", telemetryOptions.PrometheusHost, metricsPort) : null);
            if (busy is not null)
            {
                return CliErrors.Environment(busy);
            }
            using var transaction = OutputTransaction.Begin(target);
            var dir = transaction.Staging;
            TelemetryHost? host;
            try
            {
                host = TelemetryHost.Start(telemetryOptions);
            }
            catch (Exception e) when (e is HttpListenerException || e.InnerException is HttpListenerException)
            {
                // Taken between the check above and now.
                return CliErrors.Environment($"--prometheus-port {telemetryOptions.PrometheusPort}: cannot listen on {telemetryOptions.PrometheusHost}: {(e.InnerException ?? e).Message}");
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
                    Sample = timeline.Add,
                    // report.html's latency by node pair needs them too.
                    LatencyByNodePair = true,
                };
                // DIR/proc/slabinfo follows the run about once a second, so `numasim slabtop DIR` shows it live.
                var live = new SlabinfoFeed(rows => OutputTreeWriter.WriteLiveSlabinfo(dir, rows), TimeSpan.FromSeconds(1));
                Action<SimProgress>? report = dashboard is null ? progress.Report : dashboard.Report;
                SimulationResult? result;
                try
                {
                    result = count == 1
                        ? await SimulationRunner.RunAsync(loaded, report, CancellationToken.None, live, observers, interrupt: cancel).ConfigureAwait(false)
                        : await RunClusteredAsync(parse, scenario, loaded, count, userTls, endpoint!, report, dir, cancel, live, observers).ConfigureAwait(false);
                    if (result is not null)
                    {
                        dashboard?.Finish(result);
                    }
                }
                finally
                {
                    if (dashboard is not null)
                    {
                        await dashboard.DisposeAsync().ConfigureAwait(false);
                    }
                }
                if (result is null)
                {
                    // A lost member: the summary it had is the new tree, marked incomplete.
                    if (File.Exists(Path.Combine(dir, "summary.json")))
                    {
                        transaction.Commit();
                    }
                    return ExitCodes.RunFailed;
                }
                if (result.Summary.Panic is not null && result.Summary.Complete)
                {
                    // A panicked kernel stops: the run did not get to its end.
                    result = result with { Summary = result.Summary with { IncompleteReason = "kernel panic" } };
                }
                progress.Clear();
                Publish(result);
                timeline.Add(TimelinePoint.Of(result.Machine, result.Summary.SimulatedNs));
                var scenarioFile = parse.GetValue(scenario.Scenario);
                transaction.WriteAndCommit(staging =>
                {
                    OutputTreeWriter.Write(staging, result.Machine, result.Summary);
                    ReportWriter.Write(staging, new RunReport(result.Machine, result.Summary, result.Cpus, result.Traffic, result.Latency, timeline)
                    {
                        LatencyByNodePair = result.LatencyByNodePair,
                        Settings = ReportSettings.Of(loaded, scenarioFile, parse.GetValue(scenario.Topology)),
                        ScenarioText = File.Exists(scenarioFile ?? ShippedConfig.DefaultScenario) ? File.ReadAllText(scenarioFile ?? ShippedConfig.DefaultScenario) : null,
                    });
                });
                KernelLog.Print(result.Summary, Console.Error);
                if (Interruption.Requested)
                {
                    // The members are stopped and the throwaway key deleted on the way out (ClusterRun, RunClusteredAsync).
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"numasim: {Interruption.Reason}: stopped at {result.Summary.SimulatedNs} ns, the outputs in {target} are marked incomplete"));
                    return Interruption.ExitCode;
                }
                if (!parse.GetValue(quiet))
                {
                    Console.Error.WriteLine(RunCompletion.Line(target, result.Summary, wall.Elapsed));
                }
                if (!result.Summary.Complete && result.Summary.Panic is null)
                {
                    Console.Error.WriteLine($"numasim: the run stopped incomplete: {result.Summary.IncompleteReason} (outputs in {target} are marked incomplete)");
                }
                await LingerAsync(host, parse.GetValue(telemetry.Linger), cancel).ConfigureAwait(false);
                if (result.Summary.Panic is not null)
                {
                    return ExitCodes.KernelPanic;
                }
                return result.Summary.Complete ? ExitCodes.Success : ExitCodes.RunFailed;
            }
        })));
        return command;
    }

    /// <summary>The run over several processes; null when it failed (the line on standard error says why, summary.json what it had).</summary>
    private static async Task<SimulationResult?> RunClusteredAsync(
        ParseResult parse, ScenarioOptions options, Scenario scenario, int count, TlsSettings? userTls, CoordinatorEndpoint endpoint, Action<SimProgress>? report, string dir, CancellationToken cancel, SlabinfoFeed live, RunObservers observers)
    {
        var source = ScenarioSource.Of(options.ScenarioPath(parse), options.TopologyPath(parse), parse.GetValue(options.Seed));
        using var throwaway = userTls is null ? ThrowawayCertificate.Create() : null;
        var tls = userTls ?? throwaway!.Settings;
        ClusterRunOutcome outcome;
        try
        {
            outcome = await ClusterRun.RunAsync(scenario, source, count, tls, Console.Error, report, cancel, live, endpoint, observers).ConfigureAwait(false);
        }
        catch (ClusterRunException e)
        {
            Console.Error.WriteLine($"numasim: run failed: {e.Message}");
            return null;
        }
        if (outcome.Result is not null)
        {
            return outcome.Result;
        }
        var partial = PartialRun.Summary(scenario, outcome);
        OutputTreeWriter.WriteSummaryOnly(dir, partial.Machine, partial.Summary);
        Console.Error.WriteLine($"numasim: run failed: {outcome.Failure}");
        return null;
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
