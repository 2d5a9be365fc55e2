using System.Text.RegularExpressions;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

public sealed partial class TopologyImportTests
{
    private static string Reference => CliRunner.ReferenceProcfs;

    [Fact]
    public void Imported_reference_machine_runs_and_numactl_shows_one_node_of_4825_MB()
    {
        using var dir = new TempDirectory();
        var import = CliRunner.Run(dir.Path, "topology", "import", Reference);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("numasim.topology", import.Stdout, StringComparison.Ordinal);
        dir.Write("my.conf", import.Stdout);
        dir.Write("small.conf", Scenarios.TwoNode(cpus: "0-1"));

        var run = CliRunner.Run(dir.Path, "run", "small.conf", "--topology", "my.conf", "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());

        var hardware = File.ReadAllLines(dir["out/numactl-hardware.txt"]);
        Assert.Equal("available: 1 nodes (0)", hardware[0]);
        Assert.Contains("node 0 cpus: 0 1", hardware);
        Assert.Contains("node 0 size: 4825 MB", hardware);
        // Everything but the free line is the reference machine's own numactl --hardware.
        var reference = File.ReadAllLines(Path.Combine(Reference, "numactl-hardware.txt"));
        Assert.Equal(
            reference.Where(l => !l.Contains(" free: ", StringComparison.Ordinal)),
            hardware.Where(l => !l.Contains(" free: ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Topology_procfs_gives_the_same_machine_as_an_imported_topology_file()
    {
        using var dir = new TempDirectory();
        var import = CliRunner.Run(dir.Path, "topology", "import", Reference);
        Assert.True(import.ExitCode == 0, import.ToString());
        dir.Write("my.conf", import.Stdout);
        dir.Write("small.conf", Scenarios.TwoNode(cpus: "0-1"));

        var viaFile = CliRunner.Run(dir.Path, "proc", "zoneinfo", "small.conf", "--topology", "my.conf");
        Assert.True(viaFile.ExitCode == 0, viaFile.ToString());
        var viaProcfs = CliRunner.Run(dir.Path, "proc", "zoneinfo", "small.conf", "--topology-procfs", Reference);
        Assert.True(viaProcfs.ExitCode == 0, viaProcfs.ToString());
        Assert.Equal(viaFile.Stdout, viaProcfs.Stdout);
    }

    [Theory]
    [InlineData("imported")]
    [InlineData("two-node")]
    public void Proc_buddyinfo_lines_have_the_kernel_layout(string machine)
    {
        using var dir = new TempDirectory();
        string[] args;
        if (machine == "imported")
        {
            var import = CliRunner.Run(dir.Path, "topology", "import", Reference);
            Assert.True(import.ExitCode == 0, import.ToString());
            dir.Write("my.conf", import.Stdout);
            dir.Write("small.conf", Scenarios.TwoNode(cpus: "0-1"));
            args = ["proc", "buddyinfo", "small.conf", "--topology", "my.conf"];
        }
        else
        {
            dir.Write("small.conf", Scenarios.TwoNode());
            args = ["proc", "buddyinfo", "small.conf"];
        }

        var proc = CliRunner.Run(dir.Path, args);
        Assert.True(proc.ExitCode == 0, proc.ToString());
        var lines = proc.Stdout.TrimEnd('\n').Split('\n');
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            Assert.True(BuddyinfoLine().IsMatch(line), $"buddyinfo line does not have the kernel layout: '{line}'");
        }
        var zones = lines.Select(l => l.Split(',')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToList();
        if (machine == "imported")
        {
            Assert.Equal(["DMA", "DMA32", "Normal"], zones);
        }
    }

    [GeneratedRegex(@"^Node \d+, zone +\S+( +\d+){11} $")]
    private static partial Regex BuddyinfoLine();
}
