using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NumaSim.Cluster.Hosting;
using NumaSim.Actors.Coordination;
using NumaSim.Formats.Output;
using NumaSim.Workloads.Config;

namespace NumaSim.Cluster.Tests.Hosting;

/// <summary>
/// One cluster, several runs (as `numasim bench` measures warm 2-process figures): each run's
/// nodes replace the last one's on the member, and every run gives the one-process result.
/// </summary>
public sealed class ClusterCarriesRunsTests
{
    [Fact]
    public async Task Runs_one_after_another_on_the_same_member_each_give_the_one_process_result()
    {
        var text = """
            numasim {
              seed = 3
              topology = "two-socket"
              workload.streams = [ { cpus = "0-15", operations = 300, think-time = 200ns, policy = "interleave:0-1",
                mix = [ { weight = 1, order = 0, gfp = "GFP_KERNEL", lifetime = 5us } ] } ]
            }
            """;
        var path = Path.Combine(Path.GetTempPath(), $"numasim-carries-{Environment.ProcessId}.conf");
        await File.WriteAllTextAsync(path, text);
        try
        {
            var one = Fingerprint(await SimulationRunner.RunAsync(ScenarioLoader.Load(path), null, CancellationToken.None));
            var port = FreePort();
            var endpoint = new CoordinatorEndpoint("127.0.0.1", port, [], StartMembers: false);
            using var member = StartMember(port);
            try
            {
                var summaries = await ClusterRun.WithClusterAsync(2, TimeSpan.FromSeconds(60), null, TextWriter.Null, CancellationToken.None, endpoint, async (system, up, wall) =>
                {
                    var runs = new List<string>();
                    for (var i = 0; i < 3; i++)
                    {
                        var outcome = await ClusterRun.RunInClusterAsync(system, up, ScenarioLoader.Load(path), ScenarioSource.Of(path, null, null), wall, null, CancellationToken.None);
                        Assert.Null(outcome.Failure);
                        Assert.Equal([1], outcome.Members[1].Nodes);
                        runs.Add(Fingerprint(outcome.Result!));
                    }
                    return runs;
                });
                Assert.All(summaries, s => Assert.Equal(one, s));
            }
            finally
            {
                if (!member.WaitForExit(10_000))
                {
                    member.Kill(entireProcessTree: true);
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>What the run computed, none of what the wall clock measured.</summary>
    private static string Fingerprint(SimulationResult r) =>
        $"{r.Summary.Operations} {r.Summary.SimulatedNs}\n" + string.Concat(new[] { "zoneinfo", "vmstat", "numastat" }.Select(n => OutputTreeWriter.RenderProc(n, r.Machine)));

    private static Process StartMember(int seedPort)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { CliDll, "member", "--hostname", "127.0.0.1", "--port", "0", "--seed-nodes", $"akka.tcp://numasim@127.0.0.1:{seedPort}" })
        {
            psi.ArgumentList.Add(a);
        }
        return Process.Start(psi)!;
    }

    private static string RepoRoot => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    /// <summary>The CLI of this test build's configuration (bin/CONFIG/net10.0).</summary>
    private static string CliDll =>
        Path.Combine(RepoRoot, "src", "NumaSim.Cli", "bin", Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!)!, "net10.0", "numasim.dll");

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
