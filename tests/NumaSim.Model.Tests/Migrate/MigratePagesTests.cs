using NumaSim.Model.Migrate;
using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Migrate;

/// <summary>
/// migrate_pages(2) by a task on itself, worked by hand on two nodes (SLIT 20): 256 pages written on node 0 and
/// migrated from every node to node 1 are each allocated once on node 1 and freed once on node 0; pgmigrate_success
/// is 256, numa_pages_migrated (NUMA balancing's) stays 0, and each copy costs twice migrate-copy.
/// </summary>
public sealed class MigratePagesTests
{
    private const int Pages = 256;
    private static readonly int[] AllNodes = [0, 1];

    private static (FaultMachine Machine, MmTask Task, long Vpn, long[] Pfns) Touched()
    {
        var machine = new FaultMachine(Machines.TwoNodeNormal(2048), LatencyModel.Default, TlbConfig.Default);
        var task = new MmTask(1, MemPolicy.Default);
        machine.CreateMm(0, task);
        task.Mm!.RanOn(0);
        var vpn = machine.Mmap(0, task, Pages * 4096L, MemPolicy.Default);
        var pfns = new long[Pages];
        for (var i = 0; i < Pages; i++)
        {
            pfns[i] = machine.Access(0, task, vpn + i, write: true).Pfn;
        }
        return (machine, task, vpn, pfns);
    }

    private static Pte Entry(MmTask task, long vpn) => task.Mm!.PageTable.Walk(vpn, [])!.Value;

    [Fact]
    public void Every_page_on_node_0_moves_once_to_node_1()
    {
        var (machine, task, vpn, pfns) = Touched();
        var start = machine.Now(0);

        var outcome = machine.MigratePages(0, task, AllNodes, [1]);

        Assert.Equal(FaultResult.PagesMigrated, outcome.Result);
        Assert.Equal(Pages, NumaBalancingTests.Event(machine, VmEventItem.PgmigrateSuccess));
        Assert.Equal(0, NumaBalancingTests.Event(machine, VmEventItem.PgmigrateFail));
        Assert.Equal(0, NumaBalancingTests.Event(machine, VmEventItem.NumaPagesMigrated));
        var moved = machine.Cpu(0).PagesMoved;
        Assert.Equal(Pages, moved.Count);
        // Every page once: the old frames are exactly the task's, each freed on node 0, each new frame distinct on node 1.
        Assert.Equal(pfns.Order(), moved.Select(m => m.OldPfn).Order());
        Assert.All(moved, m => Assert.Equal((0, 1), (ZoneIndex.Node(m.OldZone), ZoneIndex.Node(m.NewZone))));
        Assert.Equal(Pages, moved.Select(m => m.NewPfn).Distinct().Count());
        for (var i = 0; i < Pages; i++)
        {
            var pte = Entry(task, vpn + i);
            Assert.Equal((1, moved[i].NewPfn, true), (pte.Node, pte.Pfn, pte.Writable));
        }
        Assert.Equal(0, NumaBalancingTests.Anon(machine, 0));
        Assert.Equal(Pages, NumaBalancingTests.Anon(machine, 1));
        MigrationProperties.AssertPagesConserved(machine);
        // Each copy across SLIT 20 costs 2 x migrate-copy, on top of the allocation and the free.
        Assert.True(machine.Now(0) - start >= Pages * 2 * LatencyModel.Default.MigrateCopyNs);
    }

    [Fact]
    public void Pages_already_on_the_target_stay_and_count_nothing()
    {
        var (machine, task, vpn, _) = Touched();
        machine.MigratePages(0, task, AllNodes, [1]);
        var placed = Enumerable.Range(0, Pages).Select(i => Entry(task, vpn + i).Pfn).ToList();

        machine.MigratePages(0, task, AllNodes, [1]);

        Assert.Empty(machine.Cpu(0).PagesMoved);
        Assert.Equal(Pages, NumaBalancingTests.Event(machine, VmEventItem.PgmigrateSuccess));
        Assert.Equal(placed, Enumerable.Range(0, Pages).Select(i => Entry(task, vpn + i).Pfn));
    }

    [Fact]
    public void No_page_on_the_target_node_fails_the_first_folio_and_ends_the_call()
    {
        var (machine, task, vpn, pfns) = Touched();
        machine.Pages.Zone(ZoneIndex.Of(1, ZoneType.Normal)).Exhaust();

        machine.MigratePages(0, task, AllNodes, [1]);

        Assert.Equal(0, NumaBalancingTests.Event(machine, VmEventItem.PgmigrateSuccess));
        Assert.Equal(1, NumaBalancingTests.Event(machine, VmEventItem.PgmigrateFail));
        Assert.Equal(pfns, Enumerable.Range(0, Pages).Select(i => Entry(task, vpn + i).Pfn));
        Assert.Equal(Pages, NumaBalancingTests.Anon(machine, 0));
    }

    [Fact]
    public void Node_remap_pairs_the_nth_node_with_the_nth_and_empties_a_destination_first()
    {
        Assert.Equal([(0, 1)], MigratePagesPlan.Pairs([0, 1], [1]));
        Assert.Equal([(0, 2), (1, 3)], MigratePagesPlan.Pairs([0, 1], [2, 3]));
        // Node 1's pages must leave before node 0's arrive: (2,3), then (1,2), then (0,1).
        Assert.Equal([(2, 3), (1, 2), (0, 1)], MigratePagesPlan.Pairs([0, 1, 2], [1, 2, 3]));
        Assert.Empty(MigratePagesPlan.Pairs([0, 1], [1, 0]));
        Assert.Empty(MigratePagesPlan.Pairs([1], [1]));
    }
}
