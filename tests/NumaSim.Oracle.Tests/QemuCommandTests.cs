using NumaSim.Model.Topology;
using NumaSim.Oracle.Qemu;

namespace NumaSim.Oracle.Tests;

public sealed class QemuCommandTests
{
    private static readonly NodeAccess Dram = new(80, 80, 100000, 100000);
    private static readonly NodeAccess Cxl = new(200, 200, 25000, 25000);

    [Fact]
    public void Each_node_gets_its_memory_backend_cpus_and_the_slit_both_ways_under_tcg()
    {
        var machine = new GuestMachine([new GuestNode(0, [0, 1, 3], 512, null), new GuestNode(1, [2], 256, null)], [[10, 21], [21, 10]]);

        var args = QemuCommand.Arguments(machine, "vmlinuz", "initrd.gz", "console.log", disk: null);

        Assert.Equal("q35,accel=tcg", After(args, "-machine"));
        Assert.Equal("max", After(args, "-cpu"));
        Assert.Equal("4", After(args, "-smp"));
        Assert.Equal("768M", After(args, "-m"));
        Assert.Equal("file:console.log", After(args, "-serial"));
        Assert.Equal(["node,nodeid=0,memdev=m0,cpus=0-1,cpus=3-3", "node,nodeid=1,memdev=m1,cpus=2-2", "dist,src=0,dst=1,val=21", "dist,src=1,dst=0,val=21"],
            Values(args, "-numa"));
        Assert.Equal(["memory-backend-ram,id=m0,size=512M", "memory-backend-ram,id=m1,size=256M"], Values(args, "-object"));
        Assert.DoesNotContain("-drive", args);
    }

    [Fact]
    public void Hmat_turns_on_when_every_node_has_access_and_a_memory_only_node_takes_its_nearest_initiator()
    {
        var machine = new GuestMachine(
            [new GuestNode(0, [0], 256, Dram), new GuestNode(1, [1], 256, Dram), new GuestNode(2, [], 256, Cxl)],
            [[10, 21, 24], [21, 10, 28], [24, 28, 10]]);

        var args = QemuCommand.Arguments(machine, "vmlinuz", "initrd.gz", "console.log", disk: "disk.img");
        var numa = Values(args, "-numa");

        Assert.Equal("q35,accel=tcg,hmat=on", After(args, "-machine"));
        Assert.Contains("node,nodeid=2,memdev=m2,initiator=0", numa);
        Assert.Contains("node,nodeid=1,memdev=m1,cpus=1-1,initiator=1", numa);
        Assert.Contains("hmat-lb,initiator=0,target=2,hierarchy=memory,data-type=access-latency,latency=200", numa);
        Assert.Contains("hmat-lb,initiator=0,target=2,hierarchy=memory,data-type=access-bandwidth,bandwidth=25000M", numa);
        // Node 1's CPUs are farther from node 2 (28 against 24): slower and narrower than node 2's own figures.
        Assert.Contains("hmat-lb,initiator=1,target=2,hierarchy=memory,data-type=access-latency,latency=233", numa);
        Assert.Equal(12, numa.Count(a => a.StartsWith("hmat-lb,", StringComparison.Ordinal)));
        Assert.Equal("file=disk.img,format=raw,if=virtio", After(args, "-drive"));
    }

    [Fact]
    public void A_node_without_memory_gets_no_backend()
    {
        var machine = new GuestMachine([new GuestNode(0, [0], 512, null), new GuestNode(1, [1], 0, null)], [[10, 21], [21, 10]]);

        var args = QemuCommand.Arguments(machine, "k", "i", "c", null);

        Assert.Equal(["memory-backend-ram,id=m0,size=512M"], Values(args, "-object"));
        Assert.Contains("node,nodeid=1,cpus=1-1", Values(args, "-numa"));
        Assert.Equal("512M", After(args, "-m"));
    }

    [Fact]
    public void A_partial_hmat_is_left_off()
    {
        var machine = new GuestMachine([new GuestNode(0, [0], 256, Dram), new GuestNode(1, [1], 256, null)], [[10, 21], [21, 10]]);

        Assert.False(machine.Hmat);
        Assert.DoesNotContain(Values(QemuCommand.Arguments(machine, "k", "i", "c", null), "-numa"), a => a.StartsWith("hmat-lb", StringComparison.Ordinal));
    }

    [Fact]
    public void Hmat_figures_are_rounded_to_what_16_bit_entries_over_one_base_can_hold()
    {
        var values = QemuCommand.Representable([100000, 47619, 25000]);

        Assert.Equal([100000, 47620, 25000], values);
        Assert.True(values.Max() / Gcd(values) < ushort.MaxValue);
        Assert.Equal([1, 7, 65534], QemuCommand.Representable([1, 7, 65534]));
    }

    [Fact]
    public void The_machine_of_a_topology_sizes_each_node_from_its_present_pages()
    {
        var topology = new MachineTopology("t", Architecture.X86_64,
            [new NodeSpec(0, [0], [new ZoneSpec(ZoneType.Dma32, 4096, 131072, 131072, 130000)]) { Access = Dram }, new NodeSpec(1, [], [new ZoneSpec(ZoneType.Dma32, 135168, 1000, 1000, 900)])],
            [[10, 20], [20, 10]], VmTunables.Default);

        var machine = GuestMachine.Of(topology);

        Assert.Equal([512L, 4L], machine.Nodes.Select(n => n.MemoryMiB));
        Assert.Equal(Dram, machine.Nodes[0].Access);
        Assert.Equal(0, machine.InitiatorOf(machine.Nodes[1]));
    }

    private static string After(IReadOnlyList<string> args, string option) => args[args.ToList().IndexOf(option) + 1];

    private static List<string> Values(IReadOnlyList<string> args, string option) =>
        [.. args.Select((a, i) => (a, i)).Where(x => x.a == option).Select(x => args[x.i + 1])];

    private static long Gcd(IEnumerable<long> values) => values.Aggregate(0L, (a, b) => b == 0 ? a : Gcd2(a, b));

    private static long Gcd2(long a, long b) => b == 0 ? a : Gcd2(b, a % b);
}
