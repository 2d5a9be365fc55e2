using System.CommandLine;
using NumaSim.Actors.Coordination;
using NumaSim.Cluster.Hosting;
using NumaSim.Cluster.Security;
using NumaSim.Formats.Output;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Cli.Commands;

/// <summary>`numasim run`: simulate a scenario and write the output tree.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var scenario = new ScenarioOptions();
        var output = new Option<string>("--out") { Description = "Output directory", HelpName = "DIR", DefaultValueFactory = _ => "numasim-out" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress line" };
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
        command.SetAction((parse, cancel) => CliErrors.Guard(async () =>
        {
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
            var dir = parse.GetValue(output)!;
            using var progress = ProgressLine.Create(parse.GetValue(quiet));
            // DIR/proc/slabinfo follows the run about once a second, so `numasim slabtop DIR` shows it live.
            var live = new SlabinfoFeed(rows => OutputTreeWriter.WriteLiveSlabinfo(dir, rows), TimeSpan.FromSeconds(1));
            SimulationResult result;
            if (count == 1)
            {
                result = await SimulationRunner.RunAsync(loaded, progress.Report, cancel, live).ConfigureAwait(false);
            }
            else
            {
                var pfx = parse.GetValue(certificate);
                if (pfx is not null && !File.Exists(pfx))
                {
                    return CliErrors.BadInput($"--certificate: {pfx} not found");
                }
                var userTls = pfx is null ? null : new TlsSettings(Path.GetFullPath(pfx), Environment.GetEnvironmentVariable(ChildMembers.PasswordVariable));
                var endpoint = new CoordinatorEndpoint(
                    parse.GetValue(hostname)!,
                    parse.GetValue(port),
                    (parse.GetValue(seeds) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    !parse.GetValue(external))
                {
                    PublicHostname = parse.GetValue(publicHostname),
                };
                if (!endpoint.StartMembers && userTls is null)
                {
                    return CliErrors.BadInput("--external-members: give the cluster's certificate with --certificate (members started by hand cannot know a throwaway one)");
                }
                var clustered = await RunClusteredAsync(parse, scenario, loaded, count, userTls, endpoint, progress, dir, cancel, live).ConfigureAwait(false);
                if (clustered is null)
                {
                    return ExitCodes.RunFailed;
                }
                result = clustered;
            }
            progress.Finish(result.Summary);
            OutputTreeWriter.Write(dir, result.Machine, result.Summary);
            KernelLog.Print(result.Summary, Console.Error);
            if (result.Summary.Panic is not null)
            {
                return ExitCodes.KernelPanic;
            }
            return result.Summary.Complete ? ExitCodes.Success : ExitCodes.RunFailed;
        }));
        return command;
    }

    /// <summary>The run over several processes; null when it failed (the line on standard error says why, summary.json what it had).</summary>
    private static async Task<SimulationResult?> RunClusteredAsync(
        ParseResult parse, ScenarioOptions options, Scenario scenario, int count, TlsSettings? userTls, CoordinatorEndpoint endpoint, ProgressLine progress, string dir, CancellationToken cancel, SlabinfoFeed live)
    {
        var source = ScenarioSource.Of(parse.GetValue(options.Scenario), parse.GetValue(options.Topology), parse.GetValue(options.Seed));
        using var throwaway = userTls is null ? ThrowawayCertificate.Create() : null;
        var tls = userTls ?? throwaway!.Settings;
        ClusterRunOutcome outcome;
        try
        {
            outcome = await ClusterRun.RunAsync(scenario, source, count, tls, Console.Error, progress.Report, cancel, live, endpoint).ConfigureAwait(false);
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
}
