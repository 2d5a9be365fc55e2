using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sched;
using NumaSim.Model.Stats;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Migrate;

/// <summary>
/// The experiment on the synchronous fault path: a task touches its memory on node 0, moves to a CPU of node
/// 1 and keeps reading it; with NUMA balancing its scan marks the pages and the hinting faults migrate them all.
/// </summary>
public sealed class NumaBalancingTests
{
    private const int Pages = 1024;
    private const long ThinkNs = 20_000;

    /// <summary>Touch on CPU 0, move to CPU 2 (node 1), read round and round for the given simulated time.</summary>
    internal static (FaultMachine Machine, MmTask Task, long Vpn) TouchMoveRead(bool balancing, long readNs, MemPolicy? policy = null)
    {
        var machine = new FaultMachine(Machines.TwoNodeNormal(), LatencyModel.Default, TlbConfig.Default);
        if (balancing)
        {
            machine.EnableNumaBalancing(NumaBalancingSysctls.Default);
        }
        var task = new MmTask(1, MemPolicy.Default);
        machine.CreateMm(0, task);
        var vpn = machine.Mmap(0, task, Pages * 4096L, policy ?? MemPolicy.Default);
        for (var i = 0; i < Pages; i++)
        {
            machine.NumaTick(0, task);
            machine.Access(0, task, vpn + i, write: true);
        }
        task.Mm!.RanOn(2);
        machine.AdvanceTo(2, machine.Now(0) + LatencyModel.Default.MigrationNs);
        machine.Cpu(2).NumaTaskMoved(task, 0);
        var end = machine.Now(2) + readNs;
        for (var i = 0; machine.Now(2) < end; i++)
        {
            machine.AdvanceTo(2, machine.Now(2) + ThinkNs);
            machine.NumaTick(2, task);
            machine.Access(2, task, vpn + (i % Pages), write: false);
        }
        return (machine, task, vpn);
    }

    internal static long Event(FaultMachine machine, VmEventItem item) =>
        machine.Pages.Setup.Topology.AllCpus.Sum(cpu => machine.Pages.Cpu(cpu).Events[item]);

    internal static long Anon(FaultMachine machine, int node) =>
        machine.Pages.Setup.Topology.AllCpus.Sum(cpu => machine.Cpu(cpu).NodeStats.Snapshot()[node][NodeStatItem.NrAnonPages]);

    [Fact]
    public void With_numa_balancing_every_page_follows_the_task_to_its_new_node()
    {
        var (machine, task, vpn) = TouchMoveRead(balancing: true, readNs: 5_000_000_000);

        Assert.Equal(Pages, Event(machine, VmEventItem.NumaPteUpdates));
        Assert.Equal(Pages, Event(machine, VmEventItem.NumaHintFaults));
        Assert.Equal(0, Event(machine, VmEventItem.NumaHintFaultsLocal));
        Assert.Equal(Pages, Event(machine, VmEventItem.NumaPagesMigrated));
        Assert.Equal(Pages, Event(machine, VmEventItem.PgmigrateSuccess));
        Assert.Equal(0, Event(machine, VmEventItem.PgmigrateFail));
        Assert.Equal(0, Anon(machine, 0));
        Assert.Equal(Pages, Anon(machine, 1));
        var walked = new List<int>();
        Assert.All(Enumerable.Range(0, Pages), i => Assert.Equal(1, task.Mm!.PageTable.Walk(vpn + i, walked)!.Value.Node));
        Assert.Equal(Pages, task.Mm!.Numa!.PagesMigrated);
        // The one scan that marked pages wrapped round the small mm, so its faults fell in the next sequence, whose
        // placement (at its first fault) had nothing to weigh yet; no fault came after: no preferred node.
        Assert.Equal(TaskNumaBalancing.NoNode, task.Mm.Numa.PreferredNid);
    }

    [Fact]
    public void Before_the_scan_delay_has_passed_twice_nothing_moves()
    {
        var (machine, _, _) = TouchMoveRead(balancing: true, readNs: 1_500_000_000);

        Assert.Equal(0, Event(machine, VmEventItem.NumaPteUpdates));
        Assert.Equal(0, Event(machine, VmEventItem.NumaPagesMigrated));
        Assert.Equal(Pages, Anon(machine, 0));
    }

    [Fact]
    public void Without_numa_balancing_the_pages_stay_where_they_were_touched()
    {
        var (machine, _, _) = TouchMoveRead(balancing: false, readNs: 5_000_000_000);

        Assert.Equal(0, Event(machine, VmEventItem.NumaHintFaults));
        Assert.Equal(0, Event(machine, VmEventItem.PgmigrateSuccess));
        Assert.Equal(Pages, Anon(machine, 0));
        Assert.Equal(0, Anon(machine, 1));
    }

    [Fact]
    public void A_mapping_bound_to_node_0_is_not_scanned_and_stays()
    {
        var (machine, _, _) = TouchMoveRead(balancing: true, readNs: 5_000_000_000, new MemPolicy(MemPolicyMode.Bind, [0]));

        Assert.Equal(0, Event(machine, VmEventItem.NumaPteUpdates));
        Assert.Equal(Pages, Anon(machine, 0));
    }

    [Fact]
    public void A_migrated_page_is_a_new_allocation_on_the_target_and_a_free_on_the_source()
    {
        var (machine, _, _) = TouchMoveRead(balancing: true, readNs: 5_000_000_000);

        // Every page migrated was allocated by CPU 2 on its own node: numa_hit there.
        Assert.True(machine.Pages.Cpu(2).Numa.ForZone(ZoneIndex.Of(1, ZoneType.Normal)).Hit >= Pages);
        MigrationProperties.AssertPagesConserved(machine);
    }
}
