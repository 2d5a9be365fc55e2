using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>
/// Issue 19: what the machine refuses (a busy port, too many processes for its cores) is one line and exit 5,
/// found before anything starts; a scenario too large to be one is bad input.
/// </summary>
public sealed class EnvironmentFailureTests
{
    private const int Environment = 5;

    private static void AssertRefused(CliResult run, string line, TempDirectory dir)
    {
        Assert.True(run.ExitCode == Environment, run.ToString());
        Assert.Equal(line, Assert.Single(run.StderrLines));
        Assert.False(Directory.Exists(dir["out"]), run.ToString());
    }

    [Theory]
    [InlineData("--prometheus-port")]
    [InlineData("--port")]
    public void A_busy_port_is_one_line_and_exit_5(string option)
    {
        using var dir = new TempDirectory();
        dir.Write("s.conf", Scenarios.TwoNode());
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        string[] cluster = option == "--port" ? ["--processes", "2"] : [];

        var run = CliRunner.Run(dir.Path, ["run", "s.conf", "--out", "out", "--quiet", .. cluster, option, port]);

        AssertRefused(run, $"numasim: {option} {port}: 127.0.0.1:{port} is already in use", dir);
    }

    [Fact]
    public void More_processes_than_the_cores_can_carry_are_refused_before_any_starts()
    {
        var cores = System.Environment.ProcessorCount;
        var nodes = (4 * cores) + 1;
        using var dir = new TempDirectory();
        var nodeList = string.Join("\n", Enumerable.Range(0, nodes).Select(n => $"      {{ id = {n}, cpus = \"{n}\", memory = 16M }}"));
        var distance = string.Join(", ", Enumerable.Range(0, nodes).Select(i => "[" + string.Join(", ", Enumerable.Range(0, nodes).Select(j => i == j ? "10" : "20")) + "]"));
        dir.Write("wide.conf", $$"""
            numasim {
              topology {
                nodes = [
            {{nodeList}}
                ]
                distance = [{{distance}}]
              }
            }
            """);

        var run = CliRunner.Run(dir.Path, "run", "wide.conf", "--out", "out", "--quiet", "--processes", nodes.ToString(CultureInfo.InvariantCulture));

        AssertRefused(run, $"numasim: --processes {nodes}: this machine has {cores} core(s); run at most {4 * cores} processes on it (--external-members spreads them over machines)", dir);
    }

    [Fact]
    public void A_machine_that_needs_more_memory_than_this_one_has_is_refused_before_booting()
    {
        // 64 nodes of 7 TiB: 120 G pages, some 140 GiB of host memory at the model's 1.25 bytes a page.
        const int nodes = 64;
        using var dir = new TempDirectory();
        var nodeList = string.Join("\n", Enumerable.Range(0, nodes).Select(n => $"      {{ id = {n}, cpus = \"{n}\", memory = 7T }}"));
        var distance = string.Join(", ", Enumerable.Range(0, nodes).Select(i => "[" + string.Join(", ", Enumerable.Range(0, nodes).Select(j => i == j ? "10" : "20")) + "]"));
        dir.Write("huge.conf", $"numasim {{\n  topology {{\n    nodes = [\n{nodeList}\n    ]\n    distance = [{distance}]\n  }}\n}}\n");

        var run = CliRunner.Run(dir.Path, "run", "huge.conf", "--out", "out", "--quiet");

        Assert.True(run.ExitCode == Environment, run.ToString());
        Assert.StartsWith("numasim: the machine spans 120259084288 pages: simulating it needs about 140 GiB of memory, and this machine has ", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(30), run.ToString());
        Assert.False(Directory.Exists(dir["out"]), run.ToString());
    }

    [Fact]
    public void A_scenario_file_too_large_to_be_one_is_bad_input_without_reading_it()
    {
        using var dir = new TempDirectory();
        using (var big = File.Create(dir["big.conf"]))
        {
            big.SetLength((16L << 20) + 1);
        }

        var run = CliRunner.Run(dir.Path, "run", "big.conf", "--out", "out", "--quiet");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"numasim: big.conf: {(16L << 20) + 1} bytes is too large for a scenario (at most 16 MiB)", Assert.Single(run.StderrLines));
        Assert.False(Directory.Exists(dir["out"]), run.ToString());
    }
}
