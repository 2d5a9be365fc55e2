using NumaSim.Model.Filemap;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Reclaim;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;
using Xunit;
using Xunit.Abstractions;

namespace NumaSim.Model.Tests.Tiering;

/// <summary>
/// The demotion experiment run on Linux 6.12 under QEMU by `numasim validate config/fidelity/demotion.conf`
/// (config/fidelity/fidelity-tiered.conf: 2 DRAM nodes of 512 MiB, a memory-only node of 1 GiB that HMAT puts in
/// memory_tier28, no swap), repeated on that boot's snapshot: a task on CPU 0 bound to node 0 touches 768 MiB.
/// The kernel's figures are the run less the empty run (docs/validation.md).
/// </summary>
public sealed class KernelDemotionTests(ITestOutputHelper output)
{
    /// <summary>pgdemote_kswapd + pgdemote_direct of the kernel's run (58,490 + 28,672; pgmigrate_success the same).</summary>
    private const long KernelDemoted = 58_490 + 28_672;

    /// <summary>The tiered fidelity machine as that boot's zoneinfo had it just before the task.</summary>
    private static MachineTopology Booted()
    {
        var dram = new NodeAccess(80, 80, 102400, 102400);
        return new MachineTopology(
            "fidelity-tiered",
            Architecture.X86_64,
            [
                new NodeSpec(0, [0],
                [
                    new ZoneSpec(ZoneType.Dma, 1, 4095, 3998, 3840) { InUse = 3840 - 3776, Watermarks = new ZoneMarks(171, 213, 255, 297) },
                    new ZoneSpec(ZoneType.Dma32, 4096, 126976, 126976, 115260)
                    {
                        InUse = 115260 - 108102, PcpPages = [2904, 1168], Watermarks = new ZoneMarks(5081, 6351, 7621, 8891),
                    },
                ]) { Access = dram },
                new NodeSpec(1, [1],
                [
                    new ZoneSpec(ZoneType.Dma32, 131072, 131072, 131072, 128915)
                    {
                        InUse = 128915 - 123816, PcpPages = [1222, 967], Watermarks = new ZoneMarks(5769, 7211, 8653, 10095),
                    },
                ]) { Access = dram },
                new NodeSpec(2, [],
                [
                    new ZoneSpec(ZoneType.Dma32, 262144, 262111, 262111, 257452)
                    {
                        InUse = 257452 - 255245, PcpPages = [333, 265], Watermarks = new ZoneMarks(11504, 14380, 17256, 20132),
                    },
                ]) { Access = new NodeAccess(200, 200, 40960, 40960) },
            ],
            [[10, 21, 24], [21, 10, 28], [24, 28, 10]],
            VmTunables.Default);
    }

    [Fact]
    public void Touching_768_MiB_bound_to_node_0_demotes_the_overflow_to_the_memory_only_node()
    {
        var cache = new PageCacheMachine(Booted(), demotionEnabled: true);

        var got = cache.TouchAnon(0, 768 * 256, new MemPolicy(MemPolicyMode.Bind, [0]));

        var kswapd = cache.Lruvec(0).Demoted(Reclaimer.Kswapd);
        var direct = cache.Lruvec(0).Demoted(Reclaimer.Direct);
        output.WriteLine($"pgdemote_kswapd {kswapd} (kernel 58490), pgdemote_direct {direct} (28672), " +
            $"pgmigrate_success {cache.Event(VmEventItem.PgmigrateSuccess)} (87162), pgmigrate_fail {cache.Event(VmEventItem.PgmigrateFail)} (0), " +
            $"pgscan_anon {cache.Event(VmEventItem.PgscanAnon)} (87226), pgsteal_kswapd {cache.Event(VmEventItem.PgstealKswapd)} (58490), " +
            $"pgsteal_direct {cache.Event(VmEventItem.PgstealDirect)} (28672), allocstall {cache.Event(VmEventItem.AllocstallMovable)} (446), " +
            $"anon on node 0 {cache.AnonPages(0)}, node 2 {cache.AnonPages(2)} (kernel AnonPages 430412 kB and 361624 kB)");

        // The task completes: every page mapped, the overflow on node 2, every demoted page a successful migration.
        Assert.Equal(768 * 256, got);
        Assert.Equal(768 * 256, cache.AnonPages(0) + cache.AnonPages(2));
        Assert.Equal(kswapd + direct, cache.AnonPages(2));
        Assert.Equal(kswapd + direct, cache.Event(VmEventItem.PgmigrateSuccess));
        Assert.InRange(kswapd + direct, KernelDemoted * 90 / 100, KernelDemoted * 110 / 100);
        // Placement as the kernel's meminfo has it: AnonPages 430,412 kB on node 0 and 361,624 kB on node 2.
        Assert.InRange(cache.AnonPages(0), 107_603 * 97 / 100, 107_603 * 103 / 100);
        Assert.InRange(cache.AnonPages(2), 90_406 * 97 / 100, 90_406 * 103 / 100);
    }

    [Fact]
    public void Without_demotion_the_same_touch_runs_out_of_node_0()
    {
        // The kernel OOM-kills the task (bind-over-capacity); the synchronous driver has no task to kill: the touch stops.
        var cache = new PageCacheMachine(Booted(), demotionEnabled: false);

        var got = cache.TouchAnon(0, 768 * 256, new MemPolicy(MemPolicyMode.Bind, [0]));

        Assert.True(got < 512 * 256, $"{got} pages");
        Assert.Equal(0, cache.AnonPages(2));
        Assert.Equal(0, cache.Lruvec(0).Demoted(Reclaimer.Kswapd) + cache.Lruvec(0).Demoted(Reclaimer.Direct));
        Assert.Equal(0, cache.Event(VmEventItem.PgscanAnon));
    }
}
