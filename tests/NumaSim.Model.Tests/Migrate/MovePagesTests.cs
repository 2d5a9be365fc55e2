using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Migrate;

/// <summary>
/// move_pages(2) of every page of a task on two nodes (SLIT 20), worked by hand: 256 pages written from CPU 0 sit on
/// node 0. To node 1, each is allocated once there and freed once on node 0; to nodes 0-1 the i-th page goes to node
/// i mod 2, so only the odd ones move (128), each batch of one address flushed when the node changes.
/// </summary>
public sealed class MovePagesTests
{
    private const int Pages = 256;

    private static (FaultMachine Machine, MmTask Task, long Vpn) Touched()
    {
        var machine = new FaultMachine(Machines.TwoNodeNormal(2048), LatencyModel.Default, TlbConfig.Default);
        var task = new MmTask(1, MemPolicy.Default);
        machine.CreateMm(0, task);
        task.Mm!.RanOn(0);
        var vpn = machine.Mmap(0, task, Pages * 4096L, MemPolicy.Default);
        for (var i = 0; i < Pages; i++)
        {
            machine.Access(0, task, vpn + i, write: true);
        }
        return (machine, task, vpn);
    }

    private static int NodeOf(MmTask task, long vpn) => task.Mm!.PageTable.Walk(vpn, [])!.Value.Node;

    [Fact]
    public void Every_page_moves_once_to_the_one_node()
    {
        var (machine, task, vpn) = Touched();

        var outcome = machine.MovePages(0, task, [1]);

        Assert.Equal(FaultResult.PagesMigrated, outcome.Result);
        Assert.Equal(Pages, NumaBalancingTests.Event(machine, VmEventItem.PgmigrateSuccess));
        Assert.Equal(0, NumaBalancingTests.Event(machine, VmEventItem.NumaPagesMigrated));
        Assert.All(machine.Cpu(0).PagesMoved, m => Assert.Equal((0, 1), (ZoneIndex.Node(m.OldZone), ZoneIndex.Node(m.NewZone))));
        Assert.All(Enumerable.Range(0, Pages), i => Assert.Equal(1, NodeOf(task, vpn + i)));
        Assert.Equal((0, Pages), (NumaBalancingTests.Anon(machine, 0), NumaBalancingTests.Anon(machine, 1)));
        MigrationProperties.AssertPagesConserved(machine);
    }

    [Fact]
    public void With_two_nodes_the_ith_page_goes_to_node_i_mod_2()
    {
        var (machine, task, vpn) = Touched();

        machine.MovePages(0, task, [0, 1]);

        Assert.Equal(Pages / 2, NumaBalancingTests.Event(machine, VmEventItem.PgmigrateSuccess));
        Assert.All(Enumerable.Range(0, Pages), i => Assert.Equal(i % 2, NodeOf(task, vpn + i)));
        Assert.Equal((Pages / 2, Pages / 2), (NumaBalancingTests.Anon(machine, 0), NumaBalancingTests.Anon(machine, 1)));
        MigrationProperties.AssertPagesConserved(machine);
    }

    [Fact]
    public void Pages_on_their_node_already_stay()
    {
        var (machine, task, _) = Touched();
        machine.MovePages(0, task, [1]);

        machine.MovePages(0, task, [1]);

        Assert.Empty(machine.Cpu(0).PagesMoved);
        Assert.Equal(Pages, NumaBalancingTests.Event(machine, VmEventItem.PgmigrateSuccess));
    }

    [Fact]
    public void No_page_on_the_node_fails_one_folio_and_ends_the_call()
    {
        var (machine, task, vpn) = Touched();
        machine.Pages.Zone(ZoneIndex.Of(1, ZoneType.Normal)).Exhaust();

        machine.MovePages(0, task, [1]);

        Assert.Equal((0, 1), (NumaBalancingTests.Event(machine, VmEventItem.PgmigrateSuccess), NumaBalancingTests.Event(machine, VmEventItem.PgmigrateFail)));
        Assert.All(Enumerable.Range(0, Pages), i => Assert.Equal(0, NodeOf(task, vpn + i)));
    }

    [Fact]
    public void A_huge_page_moves_whole_once_its_other_addresses_finding_it_queued()
    {
        var machine = new FaultMachine(Machines.TwoNodeNormal(), LatencyModel.Default, TlbConfig.Default);
        var task = new MmTask(1, MemPolicy.Default);
        machine.CreateMm(0, task);
        task.Mm!.RanOn(0);
        var huge = task.Mm.Mode.HugePages;
        var vpn = machine.Mmap(0, task, 2 * huge * 4096L, MemPolicy.Default, thp: true);
        machine.Access(0, task, vpn, write: true);
        machine.Access(0, task, vpn + huge, write: true);

        machine.MovePages(0, task, [1]);

        var moved = machine.Cpu(0).PagesMoved;
        Assert.Equal(2, moved.Count);
        Assert.All(moved, m => Assert.Equal((task.Mm.Mode.HugeOrder, 1), (m.Order, ZoneIndex.Node(m.NewZone))));
        Assert.Equal(2 * huge, NumaBalancingTests.Event(machine, VmEventItem.PgmigrateSuccess));
        Assert.Equal(1, NodeOf(task, vpn + huge + 7));
        MigrationProperties.AssertPagesConserved(machine);
    }
}
