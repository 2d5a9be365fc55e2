using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Migrate;

/// <summary>
/// mbind(2) over a task's mapping on two nodes (SLIT 20), worked by hand: 256 pages written from CPU 0 sit on node 0;
/// mbind to bind:1 with MPOL_MF_MOVE allocates each once on node 1 (numa_hit there: the policy's first allowed zone
/// is the preferred one) and frees it on node 0; without MPOL_MF_MOVE nothing moves and only later faults follow.
/// </summary>
public sealed class MbindTests
{
    private const int Pages = 256;

    private static (FaultMachine Machine, MmTask Task, long Vpn) Touched(int mapped = Pages)
    {
        var machine = new FaultMachine(Machines.TwoNodeNormal(2048), LatencyModel.Default, TlbConfig.Default);
        var task = new MmTask(1, MemPolicy.Default);
        machine.CreateMm(0, task);
        task.Mm!.RanOn(0);
        var vpn = machine.Mmap(0, task, mapped * 4096L, MemPolicy.Default);
        for (var i = 0; i < Pages; i++)
        {
            machine.Access(0, task, vpn + i, write: true);
        }
        return (machine, task, vpn);
    }

    private static int NodeOf(MmTask task, long vpn) => task.Mm!.PageTable.Walk(vpn, [])!.Value.Node;

    private static long NumaHit(FaultMachine machine, int node) =>
        machine.Pages.Setup.Topology.AllCpus.Sum(cpu => machine.Pages.Cpu(cpu).Numa.ForZone(ZoneIndex.Of(node, ZoneType.Normal)).Hit);

    [Fact]
    public void Bind_with_move_takes_every_page_to_the_policy_node_and_gives_the_mapping_the_policy()
    {
        var (machine, task, vpn) = Touched();
        var hitBefore = NumaHit(machine, 1);

        var outcome = machine.Mbind(0, task, new MemPolicy(MemPolicyMode.Bind, [1]), move: true);

        Assert.Equal(FaultResult.PagesMigrated, outcome.Result);
        Assert.Equal(Pages, NumaBalancingTests.Event(machine, VmEventItem.PgmigrateSuccess));
        Assert.Equal(0, NumaBalancingTests.Event(machine, VmEventItem.NumaPagesMigrated));
        Assert.Equal(Pages, machine.Cpu(0).PagesMoved.Count);
        Assert.All(Enumerable.Range(0, Pages), i => Assert.Equal(1, NodeOf(task, vpn + i)));
        Assert.Equal(Pages, NumaHit(machine, 1) - hitBefore);
        Assert.Equal((0, Pages), (NumaBalancingTests.Anon(machine, 0), NumaBalancingTests.Anon(machine, 1)));
        Assert.Equal(new MemPolicy(MemPolicyMode.Bind, [1]).ToString(), Assert.Single(task.Mm!.Vmas).Policy.ToString());
        MigrationProperties.AssertPagesConserved(machine);
    }

    [Fact]
    public void Without_move_the_pages_stay_and_later_faults_follow_the_policy()
    {
        var (machine, task, vpn) = Touched(mapped: 2 * Pages);

        machine.Mbind(0, task, new MemPolicy(MemPolicyMode.Bind, [1]), move: false);
        for (var i = Pages; i < 2 * Pages; i++)
        {
            machine.Access(0, task, vpn + i, write: true);
        }

        Assert.Equal(0, NumaBalancingTests.Event(machine, VmEventItem.PgmigrateSuccess));
        Assert.All(Enumerable.Range(0, Pages), i => Assert.Equal(0, NodeOf(task, vpn + i)));
        Assert.All(Enumerable.Range(Pages, Pages), i => Assert.Equal(1, NodeOf(task, vpn + i)));
    }

    [Fact]
    public void Pages_already_on_a_node_of_the_policy_are_not_queued()
    {
        var (machine, task, _) = Touched();

        // queue_pages_range with MPOL_MF_INVERT takes only pages off the nodes: node 0 is one of interleave:0-1's.
        machine.Mbind(0, task, new MemPolicy(MemPolicyMode.Interleave, [0, 1]), move: true);

        Assert.Empty(machine.Cpu(0).PagesMoved);
        Assert.Equal(0, NumaBalancingTests.Event(machine, VmEventItem.PgmigrateSuccess));
    }

    [Fact]
    public void A_policy_off_every_page_node_brings_them_all_back()
    {
        var (machine, task, vpn) = Touched();
        machine.Mbind(0, task, new MemPolicy(MemPolicyMode.Bind, [1]), move: true);

        machine.Mbind(0, task, new MemPolicy(MemPolicyMode.Interleave, [0]), move: true);

        Assert.Equal(2 * Pages, NumaBalancingTests.Event(machine, VmEventItem.PgmigrateSuccess));
        Assert.All(Enumerable.Range(0, Pages), i => Assert.Equal(0, NodeOf(task, vpn + i)));
    }

    [Fact]
    public void No_page_on_the_policy_node_fails_one_folio_and_ends_the_call()
    {
        var (machine, task, vpn) = Touched();
        machine.Pages.Zone(ZoneIndex.Of(1, ZoneType.Normal)).Exhaust();

        machine.Mbind(0, task, new MemPolicy(MemPolicyMode.Bind, [1]), move: true);

        Assert.Equal(0, NumaBalancingTests.Event(machine, VmEventItem.PgmigrateSuccess));
        Assert.Equal(1, NumaBalancingTests.Event(machine, VmEventItem.PgmigrateFail));
        Assert.All(Enumerable.Range(0, Pages), i => Assert.Equal(0, NodeOf(task, vpn + i)));
        Assert.Equal(Pages, NumaBalancingTests.Anon(machine, 0));
    }
}
