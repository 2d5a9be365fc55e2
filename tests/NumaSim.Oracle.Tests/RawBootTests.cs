using NumaSim.Model.Topology;
using NumaSim.Oracle.Guest;
using NumaSim.Oracle.Qemu;

namespace NumaSim.Oracle.Tests;

public sealed class RawBootTests
{
    [Fact]
    public async Task Boots()
    {
        var machine = new GuestMachine([new GuestNode(0, [0], 256, null), new GuestNode(1, [1], 256, null)], [[10, 21], [21, 10]]);
        var plan = new GuestPlan(machine, [new GuestTask(0, ["policy=bind:1", "touch=67108864", "read=/mnt/big:33554432"])],
            new Dictionary<string, long> { ["big"] = 64L << 20 }, [new("/proc/sys/kernel/numa_balancing", "0")]);
        var result = await GuestRun.RunAsync(plan, "/work/wt/oracle/.kernel/boot/vmlinuz-6.12.117+deb12-amd64", null, "/tmp/rawboot", TimeSpan.FromMinutes(3));
        Assert.True(File.Exists(Path.Combine(result.Boot, "proc/zoneinfo")), result.KernelVersion);
    }
}
