using System.Globalization;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>
/// config/fidelity/demotion-thp.conf on the boot snapshot of a real 6.12 guest (tests/fixtures/qemu-boot-tiered: the
/// tiered fidelity machine just before its tasks) where the simulator used to OOM-kill the task: a base-page fault
/// that fell back from a huge one retried after direct reclaim, asked its zone for a page the view showed free while
/// reclaim's demoted huge folios were still being copied, and the empty answer failed the fault outright instead of
/// going on with the slow path (drain, should_reclaim_retry). The kernel completed the task on that boot, demoting
/// 158 huge folios.
/// </summary>
public sealed class DemotionOnBootSnapshotTests
{
    [Fact]
    public void A_fault_whose_retry_finds_the_zone_empty_goes_on_with_the_slow_path()
    {
        using var dir = new TempDirectory();
        var snapshot = Path.Combine(CliRunner.RepoRoot, "tests", "fixtures", "qemu-boot-tiered");
        var run = CliRunner.RunWithTimeout(dir.Path, TimeSpan.FromMinutes(3), "run", Path.Combine(CliRunner.RepoRoot, "config", "fidelity", "demotion-thp.conf"),
            "--topology-procfs", snapshot, "--out", "out", "--quiet");

        Assert.True(run.ExitCode == 0, run.ToString());
        var vmstat = File.ReadAllLines(Path.Combine(dir["out"], "proc", "vmstat")).Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        Assert.Equal(0, vmstat["oom_kill"]);
        Assert.InRange(vmstat["thp_migration_success"], 142, 174);
    }
}
