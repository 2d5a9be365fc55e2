using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

public sealed class HelpTests
{
    [Theory]
    [InlineData("", "run", "replay", "proc", "topology", "slabtop", "validate")]
    [InlineData("replay", "TRACE", "--topology", "--topology-procfs", "--policy", "--processes", "--out", "--lenient", "--seed", "standard input", "gzip", "% CPUs", "by_event", "fidelity")]
    [InlineData("run", "SCENARIO", "--out", "--seed", "--topology", "--topology-procfs", "--quiet", "--otlp-endpoint", "URL", "--prometheus-port", "--prometheus-host", "--trace-sample", "RATIO", "--linger", "SECONDS")]
    [InlineData("proc", "SCENARIO", "buddyinfo", "pagetypeinfo", "zoneinfo", "slabinfo", "vmstat", "numastat", "meminfo", "node-meminfo", "hardware", "--seed")]
    [InlineData("slabtop", "DIR", "--slabinfo", "--once", "--sort", "--delay", "--page-size")]
    [InlineData("bench", "--only", "GROUP", "allocator", "replay", "throughput", "telemetry", "cluster", "faults")]
    [InlineData("validate", "SCENARIO", "--kernel", "VMLINUZ", "--modules", "--out", "--tolerance", "--seed", "validate.json", "Exit 0")]
    [InlineData("topology", "import")]
    [InlineData("topology import", "ROOT")]
    public void Help_exits_0_and_explains_the_command(string command, params string[] mentions)
    {
        using var dir = new TempDirectory();
        string[] args = [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"];

        var help = CliRunner.Run(dir.Path, args);

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("Usage:", help.Stdout, StringComparison.Ordinal);
        foreach (var word in mentions)
        {
            Assert.True(help.Stdout.Contains(word, StringComparison.Ordinal), $"'numasim {command} --help' does not mention {word}\n{help}");
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }
}
