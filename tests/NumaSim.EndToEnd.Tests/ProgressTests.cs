using System.Diagnostics;
using System.Globalization;
using System.Text;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>
/// Issue 19: on a terminal a long run shows where it stands from its first second, with the share done and the time
/// left when its scenario plans its work. The CLI runs under script(1), which gives it a pseudo-terminal.
/// </summary>
public sealed class ProgressTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>One CPU, 10^9 allocations and their frees: hours of wall time, its count known from the start.</summary>
    private const string Lone = """
        numasim {
          seed = 7
          topology = "two-socket"
          workload.streams = [
            { cpus = "0", operations = 1000000000, think-time = 100ns, mix = [ { weight = 1, order = 0, gfp = "GFP_KERNEL", lifetime = 5us } ] }
          ]
        }
        """;

    [Theory]
    // Standard input a terminal too: the live dashboard, whose status line carries the estimate.
    [InlineData("", "% done, about ")]
    // Standard input redirected: no dashboard, the plain progress line, drawn from the first second on.
    [InlineData(" < /dev/null", "% done, about ")]
    public void A_long_run_on_a_terminal_shows_its_progress_with_the_time_left(string stdin, string estimate)
    {
        using var dir = new TempDirectory();
        dir.Write("lone.conf", Lone);
        // Wide enough that the dashboard's status line is not cut.
        var command = $"stty cols 200 rows 50; exec {CliRunner.DotnetHost()} {CliRunner.CliDll} run lone.conf --out out{stdin}";
        var psi = new ProcessStartInfo("script", ["-qfec", command, "/dev/null"])
        {
            WorkingDirectory = dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var script = Process.Start(psi)!;
        var terminal = new StringBuilder();
        var reader = new Thread(() =>
        {
            var buffer = new char[4096];
            int n;
            try
            {
                while ((n = script.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
                {
                    lock (terminal)
                    {
                        terminal.Append(buffer, 0, n);
                    }
                }
            }
            catch (ObjectDisposedException)
            {
                // The test failed and disposed the process: a failure must not take the test host down with it.
            }
        })
        { IsBackground = true };
        reader.Start();
        string Seen()
        {
            lock (terminal)
            {
                return terminal.ToString();
            }
        }

        var watch = Stopwatch.StartNew();
        while (!Seen().Contains(estimate, StringComparison.Ordinal) && watch.Elapsed < Patience && !script.HasExited)
        {
            Thread.Sleep(100); // watching a real terminal's output, not simulated time
        }
        var seen = Seen();
        var numasim = ChildOf(script.Id);
        if (numasim is { } pid)
        {
            CliRunner.RunProgram("kill", ["-INT", pid.ToString(CultureInfo.InvariantCulture)], "/", TimeSpan.FromSeconds(10));
        }
        if (!script.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            script.Kill(entireProcessTree: true);
            Assert.Fail("the interrupted run did not end");
        }
        reader.Join(TimeSpan.FromSeconds(10));

        Assert.True(seen.Contains(estimate, StringComparison.Ordinal), $"no estimate within {Patience.TotalSeconds:0} s:\n{seen}");
        Assert.Matches(@"operations \d+", seen);
        Assert.Matches(@"about (<1 s|\d+ s|\d+ min \d\d s|\d+ h \d\d min)", seen);
        Assert.Contains("interrupted", File.ReadAllText(Path.Combine(dir["out"], "summary.json")), StringComparison.Ordinal);
    }

    /// <summary>The pid of the process script(1) started (it execs numasim), or null once it is gone.</summary>
    private static int? ChildOf(int pid)
    {
        foreach (var children in Directory.EnumerateFiles($"/proc/{pid}/task", "children", SearchOption.AllDirectories))
        {
            var first = File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (first is not null)
            {
                return int.Parse(first, CultureInfo.InvariantCulture);
            }
        }
        return null;
    }
}
