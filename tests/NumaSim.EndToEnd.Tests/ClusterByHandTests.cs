using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>Members started by hand (deploy/local-cluster.sh, `run --external-members`).</summary>
public sealed class ClusterByHandTests
{
    [Fact]
    public void Local_cluster_script_runs_a_coordinator_and_members_each_logging_to_its_own_file_with_the_one_process_result()
    {
        using var dir = new TempDirectory();
        var scenario = dir.Write("four.conf", ClusterScenarios.FourNode());
        var one = CliRunner.RunWithTimeout(dir.Path, TimeSpan.FromMinutes(2), "run", scenario, "--out", "one", "--quiet");
        Assert.True(one.ExitCode == 0, one.ToString());

        var script = Path.Combine(CliRunner.RepoRoot, "deploy", "local-cluster.sh");
        var port = FreePort();
        var run = CliRunner.RunProgram(
            "bash",
            [script, "-n", "2", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", "logs", scenario, "--out", "script", "--quiet"],
            dir.Path,
            TimeSpan.FromMinutes(3),
            environment: new Dictionary<string, string> { ["NUMASIM"] = $"dotnet {CliRunner.CliDll}" });
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["coordinator.log", "member-0.log", "member-1.log"], Directory.GetFiles(dir["logs"]).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());

        var members = OutputTree.Summary(dir["script"])["members"]!.AsArray();
        Assert.Equal(3, members.Count);
        Assert.Equal($"akka.ssl.tcp://numasim@127.0.0.1:{port}", members[0]!["address"]!.GetValue<string>());
        var a = OutputTree.ReproducibleSummary(dir["one"]);
        var b = OutputTree.ReproducibleSummary(dir["script"]);
        Assert.True(JsonNode.DeepEquals(a, b), $"{a}\n---\n{b}");
        Assert.Equal(File.ReadAllText(dir["one/proc/buddyinfo"]), File.ReadAllText(dir["script/proc/buddyinfo"]));
    }

    [Fact]
    public void A_coordinator_whose_members_do_not_join_in_time_fails_instead_of_hanging()
    {
        using var dir = new TempDirectory();
        var scenario = dir.Write("four.conf", ClusterScenarios.FourNode(cluster: "cluster { join-timeout = 3s }"));
        var pfx = dir["cluster.pfx"];
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            using var certificate = new CertificateRequest("CN=numasim-test", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "pw"));
        }
        var run = CliRunner.RunProgram(
            "dotnet",
            [CliRunner.CliDll, "run", scenario, "--processes", "2", "--external-members", "--certificate", pfx, "--out", "out", "--quiet"],
            dir.Path,
            TimeSpan.FromMinutes(1),
            environment: new Dictionary<string, string> { ["NUMASIM_CERTIFICATE_PASSWORD"] = "pw" });
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(run.StderrLines, l => l.StartsWith("numasim: run failed: only 1 of 2 processes joined the cluster", StringComparison.Ordinal));
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
