using System.CommandLine;
using NumaSim.Cluster.Hosting;
using NumaSim.Telemetry.Exporters;

namespace NumaSim.Cli.Commands;

/// <summary>`numasim member`: one cluster member, started by `run --processes` or by hand (deploy/).</summary>
public static class MemberCommand
{
    public static Command Create()
    {
        var hostname = new Option<string>("--hostname") { Description = "Address to bind (127.0.0.1 unless told otherwise)", HelpName = "H", DefaultValueFactory = _ => "127.0.0.1" };
        var publicHostname = new Option<string?>("--public-hostname") { Description = "Address the other members reach this one at, when it binds 0.0.0.0 (Kubernetes pods)", HelpName = "H" };
        var port = new Option<int>("--port") { Description = "TCP port (0: any free port)", HelpName = "P", DefaultValueFactory = _ => 0 };
        var seeds = new Option<string>("--seed-nodes") { Description = "Comma-separated seed addresses, e.g. akka.tcp://numasim@10.0.0.1:4053", HelpName = "A,B", Required = true };
        var joinTimeout = new Option<int>("--join-timeout") { Description = "Seconds to reach the seeds before giving up (exit 1)", HelpName = "S", DefaultValueFactory = _ => 60 };
        var certificate = new Option<string?>("--certificate") { Description = $"PKCS#12 file of the cluster's certificate (TLS with mutual authentication); its password in ${ChildMembers.PasswordVariable}", HelpName = "PFX" };
        var telemetry = new TelemetryCliOptions();
        var command = new Command("member", "Join a NumaSim cluster and host the NUMA nodes the coordinator places here, until the run ends or the coordinator goes away.")
        {
            hostname, publicHostname, port, seeds, joinTimeout, certificate,
        };
        telemetry.AddTracingTo(command);
        command.SetAction(Interruption.Handle((parse, cancel) => CliErrors.Guard(async () =>
        {
            var seedList = parse.GetValue(seeds)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (seedList.Length == 0 || seedList.Any(s => !s.StartsWith("akka.tcp://", StringComparison.Ordinal) && !s.StartsWith("akka.ssl.tcp://", StringComparison.Ordinal)))
            {
                return CliErrors.BadInput("--seed-nodes: expected addresses such as akka.tcp://numasim@127.0.0.1:4053 (akka.ssl.tcp:// with TLS)");
            }
            var seconds = parse.GetValue(joinTimeout);
            if (seconds <= 0)
            {
                return CliErrors.BadInput("--join-timeout: must be a positive number of seconds");
            }
            var pfx = parse.GetValue(certificate);
            if (pfx is not null && !File.Exists(pfx))
            {
                return CliErrors.NotAFile("--certificate", pfx);
            }
            // Akka would retry an unknown transport hundreds of thousands of times a second until the join timeout.
            if (pfx is null && seedList.Any(s => s.StartsWith("akka.ssl.tcp://", StringComparison.Ordinal)))
            {
                return CliErrors.BadInput("--seed-nodes: the cluster is TLS (akka.ssl.tcp://): give its certificate with --certificate");
            }
            if (pfx is not null && seedList.Any(s => s.StartsWith("akka.tcp://", StringComparison.Ordinal)))
            {
                return CliErrors.BadInput("--certificate with akka.tcp:// seeds: a TLS member reaches its seeds at akka.ssl.tcp://");
            }
            var tls = pfx is null ? null : new TlsSettings(pfx, Environment.GetEnvironmentVariable(ChildMembers.PasswordVariable));
            var settings = new ClusterSettings(parse.GetValue(hostname)!, parse.GetValue(port), seedList, [ClusterSettings.MemberRole], tls)
            {
                JoinTimeout = TimeSpan.FromSeconds(seconds),
                PublicHostname = parse.GetValue(publicHostname),
            };
            // The member's spans (the serving side of a remote allocation, an IPI) join the run's traces.
            using var host = TelemetryHost.Start(telemetry.Read(parse) with { ExportMetrics = false });
            return await MemberProcess.RunAsync(settings, Console.Error, cancel).ConfigureAwait(false);
        })));
        return command;
    }
}
