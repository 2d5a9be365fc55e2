using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>`numasim validate`'s bad input, and the import of a real guest's snapshot that validate's simulator runs on.</summary>
public sealed class ValidateTests
{
    private static string Fidelity(string name) => Path.Combine(CliRunner.RepoRoot, "config", "fidelity", name + ".conf");

    [Fact]
    public void A_missing_kernel_is_bad_input()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "validate", Fidelity("first-touch"), "--kernel", dir["no-such-vmlinuz"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--kernel", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenario_with_nothing_a_process_can_do_is_bad_input_and_says_why()
    {
        using var dir = new TempDirectory();
        var kernel = dir.Write("vmlinuz", "not a kernel");

        // interleave.conf's tasks read half their pages first (the kernel maps its zero page, the simulator allocates);
        // kmalloc-storm has only kernel allocation streams.
        var interleave = CliRunner.Run(dir.Path, "validate", "interleave", "--kernel", kernel);
        var storm = CliRunner.Run(dir.Path, "validate", "kmalloc-storm", "--kernel", kernel);

        Assert.Equal((2, 2), (interleave.ExitCode, storm.ExitCode));
        Assert.Contains("no task written as steps", Assert.Single(interleave.StderrLines), StringComparison.Ordinal);
        Assert.Contains("zero page", Assert.Single(interleave.StderrLines), StringComparison.Ordinal);
        Assert.Contains("kernel allocation streams", Assert.Single(storm.StderrLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-0.1")]
    [InlineData("1")]
    public void A_tolerance_outside_0_to_1_is_bad_input(string tolerance)
    {
        using var dir = new TempDirectory();
        var kernel = dir.Write("vmlinuz", "not a kernel");

        var result = CliRunner.Run(dir.Path, "validate", Fidelity("first-touch"), "--kernel", kernel, "--tolerance", tolerance);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--tolerance", Assert.Single(result.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_on_an_imported_guest_snapshot_starts_with_its_free_memory_per_zone()
    {
        // tests/fixtures/qemu-boot-hmat: a real Linux 6.12 guest's boot snapshot (3 nodes, node 2 memory-only).
        var snapshot = Path.Combine(CliRunner.RepoRoot, "tests", "fixtures", "qemu-boot-hmat");
        using var dir = new TempDirectory();
        var scenario = dir.Write("idle.conf", "numasim { seed = 1 }\n");

        var result = CliRunner.Run(dir.Path, "run", scenario, "--topology-procfs", snapshot, "--out", dir["out"], "--quiet");

        Assert.Equal(0, result.ExitCode);
        var real = FreePerZone(File.ReadAllText(Path.Combine(snapshot, "proc", "zoneinfo")));
        var simulated = FreePerZone(File.ReadAllText(dir["out/proc/zoneinfo"]));
        Assert.Equal(real.Keys, simulated.Keys);
        foreach (var (zone, free) in real)
        {
            Assert.True(Math.Abs(simulated[zone] - free) <= free / 1000, $"{zone}: snapshot {free} free, simulated run starts with {simulated[zone]}");
        }
    }

    /// <summary>"Node 0, zone DMA32" -> its "pages free" line, for populated zones.</summary>
    private static Dictionary<string, long> FreePerZone(string zoneinfo)
    {
        var result = new Dictionary<string, long>();
        string? zone = null;
        foreach (var line in zoneinfo.Split('\n'))
        {
            if (line.StartsWith("Node ", StringComparison.Ordinal))
            {
                zone = string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
            else if (zone is not null && line.TrimStart().StartsWith("pages free", StringComparison.Ordinal))
            {
                var free = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
                if (free > 0)
                {
                    result[zone] = free;
                }
            }
        }
        return result;
    }
}
