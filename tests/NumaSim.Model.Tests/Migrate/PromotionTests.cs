using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sched;
using NumaSim.Model.Stats;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Migrate;

/// <summary>
/// Promotion in NUMA balancing's memory tiering mode on the synchronous fault path: node 0 is DRAM with CPU 0,
/// node 1 a memory-only node that HMAT puts in a lower tier. A task touches its pages on node 0, moves them all to
/// node 1 with migrate_pages(2), then reads them one a think time after the other from CPU 0 until the scan's pass
/// over them is done.
/// </summary>
public sealed class PromotionTests
{
    private const int Pages = 1024;
    private static readonly NodeAccess Dram = new(80, 80, 102400, 102400);
    private static readonly NodeAccess Cxl = new(200, 200, 40960, 40960);

    private static MachineTopology Tiered() => new(
        "tiered",
        Architecture.X86_64,
        [
            new NodeSpec(0, [0], [new ZoneSpec(ZoneType.Normal, Machines.NormalBase, 8192, 8192, 8192)]) { Access = Dram },
            new NodeSpec(1, [], [new ZoneSpec(ZoneType.Normal, 2 * Machines.NormalBase, 8192, 8192, 8192)]) { Access = Cxl },
        ],
        [[10, 20], [20, 10]],
        VmTunables.Default);

    /// <summary>Touch, migrate to node 1, then read round and round from CPU 0: one pass once a scan has marked pages, or 10 s if none does.</summary>
    private static FaultMachine TouchThenRead(NumaBalancingMode mode, NumaPromotionSysctls promotion, long thinkNs)
    {
        var machine = new FaultMachine(Tiered(), LatencyModel.Default, TlbConfig.Default);
        machine.EnableNumaBalancing(NumaBalancingSysctls.Default, mode, promotion);
        var task = new MmTask(1, MemPolicy.Default);
        machine.CreateMm(0, task);
        var vpn = machine.Mmap(0, task, Pages * 4096L, MemPolicy.Default);
        for (var i = 0; i < Pages; i++)
        {
            machine.NumaTick(0, task);
            machine.Access(0, task, vpn + i, write: true);
        }
        machine.MigratePages(0, task, [0, 1], [1]);
        Assert.Equal(Pages, NumaBalancingTests.Anon(machine, 1));
        var left = Pages;
        for (var i = 0; left > 0 && machine.Now(0) < 10_000_000_000; i++)
        {
            machine.AdvanceTo(0, machine.Now(0) + thinkNs);
            machine.NumaTick(0, task);
            machine.Access(0, task, vpn + (i % Pages), write: false);
            if (Event(machine, VmEventItem.NumaPteUpdates) > 0)
            {
                left--;
            }
        }
        return machine;
    }

    private static long Event(FaultMachine machine, VmEventItem item) => NumaBalancingTests.Event(machine, item);

    private static long Node(FaultMachine machine, int node, NodeStatItem item) =>
        machine.Cpu(0).NodeStats.Snapshot()[node][item];

    [Fact]
    public void Mode_2_promotes_every_page_read_soon_after_its_scan_to_the_readers_node()
    {
        var machine = TouchThenRead(NumaBalancingMode.MemoryTiering, NumaPromotionSysctls.Default, thinkNs: 20_000);

        Assert.Equal(Pages, Event(machine, VmEventItem.NumaPteUpdates));
        Assert.Equal(Pages, Event(machine, VmEventItem.NumaHintFaults));
        Assert.Equal(Pages, Event(machine, VmEventItem.NumaPagesMigrated));
        Assert.Equal(2 * Pages, Event(machine, VmEventItem.PgmigrateSuccess)); // migrate_pages(2), then the promotions
        Assert.Equal(Pages, Node(machine, 0, NodeStatItem.PgpromoteSuccess));
        Assert.Equal(Pages, Node(machine, 0, NodeStatItem.PgpromoteCandidate));
        Assert.Equal(0, Node(machine, 0, NodeStatItem.PgpromoteCandidateNrl));
        Assert.Equal(Pages, NumaBalancingTests.Anon(machine, 0));
        Assert.Equal(0, NumaBalancingTests.Anon(machine, 1));
        MigrationProperties.AssertPagesConserved(machine);
    }

    [Fact]
    public void Mode_3_judges_the_lower_tier_pages_by_their_scan_time_as_mode_2_does()
    {
        var machine = TouchThenRead(NumaBalancingMode.Normal | NumaBalancingMode.MemoryTiering, NumaPromotionSysctls.Default, thinkNs: 20_000);

        Assert.Equal(Pages, Node(machine, 0, NodeStatItem.PgpromoteCandidate));
        Assert.Equal(Pages, Node(machine, 0, NodeStatItem.PgpromoteSuccess));
        Assert.Equal(0, NumaBalancingTests.Anon(machine, 1));
    }

    [Fact]
    public void Mode_1_alone_leaves_a_page_of_the_lower_tier_that_has_no_last_cpupid_on_its_first_fault()
    {
        var machine = TouchThenRead(NumaBalancingMode.Normal, NumaPromotionSysctls.Default, thinkNs: 20_000);

        Assert.Equal(Pages, Event(machine, VmEventItem.NumaHintFaults));
        Assert.Equal(0, Event(machine, VmEventItem.NumaPagesMigrated));
        Assert.Equal(0, Node(machine, 0, NodeStatItem.PgpromoteCandidate));
        Assert.Equal(Pages, NumaBalancingTests.Anon(machine, 1));
    }

    [Fact]
    public void Mode_0_scans_nothing_in_10_s()
    {
        var machine = TouchThenRead(NumaBalancingMode.Disabled, NumaPromotionSysctls.Default, thinkNs: 20_000);

        Assert.Equal(0, Event(machine, VmEventItem.NumaPteUpdates));
        Assert.Equal(Pages, NumaBalancingTests.Anon(machine, 1));
    }

    [Fact]
    public void The_rate_limit_admits_one_seconds_worth_of_candidates()
    {
        // 1 MB/s: 256 pages. The pass takes 1024 x about 20 us, well inside the second the first candidate opened:
        // 256 promoted, the other 768 counted as candidates and left on node 1.
        var machine = TouchThenRead(NumaBalancingMode.MemoryTiering, new NumaPromotionSysctls(1000, 1), thinkNs: 20_000);

        Assert.Equal(Pages, Event(machine, VmEventItem.NumaHintFaults));
        Assert.Equal(Pages, Node(machine, 0, NodeStatItem.PgpromoteCandidate));
        Assert.Equal(256, Node(machine, 0, NodeStatItem.PgpromoteSuccess));
        Assert.Equal(256, Event(machine, VmEventItem.NumaPagesMigrated));
        Assert.Equal(Pages - 256, NumaBalancingTests.Anon(machine, 1));
    }

    [Theory]
    // The threshold is the sysctl's for the first minute. A read every 4 ms (one jiffy) reaches 1000 / 4 = 250 and
    // 100 / 4 = 25 pages in time; where in its jiffy the scan fell moves that by one.
    [InlineData(1000, 250)]
    [InlineData(100, 25)]
    public void Only_the_pages_read_within_the_hot_threshold_of_their_scan_are_promoted(int thresholdMs, int expected)
    {
        var machine = TouchThenRead(NumaBalancingMode.MemoryTiering, new NumaPromotionSysctls(thresholdMs, 65536), thinkNs: 4_000_000);

        var promoted = Node(machine, 0, NodeStatItem.PgpromoteSuccess);
        Assert.InRange(promoted, expected - 1, expected + 1);
        Assert.Equal(promoted, Node(machine, 0, NodeStatItem.PgpromoteCandidate));
        Assert.Equal(Pages, Event(machine, VmEventItem.NumaHintFaults));
        Assert.Equal(Pages - promoted, NumaBalancingTests.Anon(machine, 1));
    }
}
