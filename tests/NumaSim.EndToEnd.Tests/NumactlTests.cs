using NumaSim.EndToEnd.Tests.Support;
using Xunit.Abstractions;

namespace NumaSim.EndToEnd.Tests;

public sealed class NumactlTests(ITestOutputHelper output)
{
    [FactWhenNumactl]
    public void Numactl_hardware_reads_the_simulated_sysfs_as_a_real_machine()
    {
        using var dir = new TempDirectory();
        dir.Write("small.conf", Scenarios.TwoNode());
        var run = CliRunner.Run(dir.Path, "run", "small.conf", "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());

        var nodeDir = dir["out/sys/devices/system/node"];
        var numactl = CliRunner.RunProgram(
            CliRunner.Which("unshare")!,
            ["-m", "sh", "-c", "mount --make-rprivate / 2>/dev/null; mount --bind \"$0\" /sys/devices/system/node && numactl --hardware", nodeDir],
            dir.Path,
            TimeSpan.FromMinutes(1));

        if (numactl.ExitCode != 0 && (numactl.Stderr.Contains("Operation not permitted", StringComparison.Ordinal)
            || numactl.Stderr.Contains("Permission denied", StringComparison.Ordinal)))
        {
            // Root without CAP_SYS_ADMIN (an unprivileged container): nothing to compare against.
            output.WriteLine($"skipped: no private mount namespace here\n{numactl}");
            return;
        }
        Assert.True(numactl.ExitCode == 0, numactl.ToString());
        Assert.Equal(File.ReadAllText(dir["out/numactl-hardware.txt"]), numactl.Stdout);
    }
}
