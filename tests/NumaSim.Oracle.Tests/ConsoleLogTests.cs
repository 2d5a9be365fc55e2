using NumaSim.Oracle.Guest;

namespace NumaSim.Oracle.Tests;

public sealed class ConsoleLogTests
{
    [Fact]
    public void Files_between_markers_are_keyed_by_tag_and_path_and_carriage_returns_go()
    {
        const string log = "[    1.0] noise\r\n=== NUMASIM START\r\n=== BEGIN boot /proc/vmstat\r\nnr_free_pages 5\r\npgfault 7\r\n=== END\r\n"
            + "=== BEGIN run.held /sys/devices/system/node/node1/numastat\nnuma_hit 3\n=== END\n=== NUMASIM END\n";

        var files = ConsoleLog.Split(log);

        Assert.Equal(["boot/proc/vmstat", "run.held/sys/devices/system/node/node1/numastat"], files.Keys);
        Assert.Equal("nr_free_pages 5\npgfault 7\n", files["boot/proc/vmstat"]);
        Assert.Equal("numa_hit 3\n", files["run.held/sys/devices/system/node/node1/numastat"]);
    }

    [Theory]
    [InlineData("[ 1.2] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI\n[ 1.2] Kernel panic - not syncing: Fatal exception in interrupt\n", true)]
    [InlineData("=== NUMASIM START\n=== BEGIN boot /proc/vmstat\nx 1\n=== END\n[ 9.0] Kernel panic - not syncing: Out of memory\n", false)]
    [InlineData("[ 1.0] booting\n=== NUMASIM START\n=== NUMASIM END\n", false)]
    public void Only_a_panic_before_the_guests_init_speaks_is_a_boot_to_try_again(string log, bool retry) =>
        Assert.Equal(retry, GuestRun.PanickedWhileBooting(log));

    [Theory]
    [InlineData("=== BEGIN boot /../../etc/passwd")]
    [InlineData("=== BEGIN ../x /proc/vmstat")]
    [InlineData("=== BEGIN boot /proc/./vmstat")]
    [InlineData("=== BEGIN boot")]
    public void A_path_that_would_leave_the_output_directory_is_dropped(string begin)
    {
        var files = ConsoleLog.Split($"{begin}\nx 1\n=== END\n=== NUMASIM END\n");

        Assert.Empty(files);
    }

    [Fact]
    public void A_guest_that_did_not_finish_is_an_oracle_failure_quoting_its_last_lines()
    {
        var e = Assert.Throws<OracleException>(() => ConsoleLog.Split("=== NUMASIM START\nKernel panic - not syncing: VFS\n"));

        Assert.Contains("did not finish", e.Message, StringComparison.Ordinal);
        Assert.Contains("Kernel panic", e.Message, StringComparison.Ordinal);
    }
}
