using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;
using NumaSim.Model.Tests.Support;
using Xunit;

namespace NumaSim.Model.Tests.Mmu;

/// <summary>The fault handler driven synchronously by <see cref="FaultMachine"/>: the same procedure the CPU actors drive.</summary>
public sealed class FaultHandlerTests
{
    private const long HugeBytes = 2L << 20;

    private static FaultMachine Machine() => new(Machines.TwoNodeNormal(), LatencyModel.Default, TlbConfig.Default);

    private static MmTask Started(FaultMachine machine, int cpu, MemPolicy? policy = null)
    {
        var task = new MmTask(1, policy ?? MemPolicy.Default);
        Assert.Equal(FaultResult.MmCreated, machine.CreateMm(cpu, task).Result);
        return task;
    }

    private static long Stat(FaultMachine machine, int cpu, int node, NodeStatItem item) => machine.Cpu(cpu).NodeStats.Snapshot()[node][item];

    [Fact]
    public void A_first_touch_allocates_the_missing_tables_and_a_local_page_and_the_next_access_hits_the_tlb()
    {
        var machine = Machine();
        var task = Started(machine, 0);
        var vpn = machine.Mmap(0, task, 16 << 10, MemPolicy.Default);

        var fault = machine.Access(0, task, vpn, write: true);
        var hit = machine.Access(0, task, vpn, write: true);

        Assert.Equal(FaultResult.Fault, fault.Result);
        Assert.Equal(0, fault.Node);
        Assert.Equal(0, fault.Order);
        Assert.Equal(Gfp.HighUserMovable | Gfp.Zero, fault.Gfp);
        Assert.Equal(FaultResult.TlbHit, hit.Result);
        Assert.Equal(fault.Pfn, hit.Pfn);
        Assert.Equal(1, machine.Cpu(0).Faults);
        Assert.Equal(1, Stat(machine, 0, 0, NodeStatItem.NrAnonPages));
        // The root, then the three levels below it that the first address needed.
        Assert.Equal(4, Stat(machine, 0, 0, NodeStatItem.NrPageTablePages));
        Assert.Equal(1, task.Mm!.ResidentPages);
        Assert.True(machine.Now(0) > LatencyModel.Default.FaultEntryNs);
    }

    [Fact]
    public void A_thp_fault_maps_a_huge_page_and_deposits_a_pte_table_beside_it()
    {
        var machine = Machine();
        var task = Started(machine, 0);
        var vpn = machine.Mmap(0, task, 2 * HugeBytes, MemPolicy.Default, thp: true);

        var fault = machine.Access(0, task, vpn + 5, write: true);

        Assert.Equal(FaultResult.Fault, fault.Result);
        Assert.True(fault.Huge);
        Assert.Equal(task.Mm!.Mode.HugeOrder, fault.Order);
        Assert.Equal(1, task.Mm.DepositedTables);
        Assert.Equal(task.Mm.Mode.HugePages, task.Mm.ResidentPages);
        Assert.Equal(task.Mm.Mode.HugePages, Stat(machine, 0, 0, NodeStatItem.NrAnonTransparentHugepages));
        // The root, the two levels above the huge entry, and the deposited table.
        Assert.Equal(4, Stat(machine, 0, 0, NodeStatItem.NrPageTablePages));
        Assert.Equal(FaultResult.TlbHit, machine.Access(0, task, vpn + 300, write: false).Result);
    }

    [Fact]
    public void A_read_maps_the_zero_page_and_a_later_write_copies_it_and_shoots_down_the_other_cpus_entry()
    {
        var machine = Machine();
        var task = Started(machine, 0);
        task.Mm!.RanOn(2);
        var vpn = machine.Mmap(0, task, 16 << 10, MemPolicy.Default);
        var zeroPfn = Machines.NormalBase;

        var read = machine.Access(2, task, vpn, write: false);
        Assert.Equal(FaultResult.Fault, read.Result);
        Assert.Equal(zeroPfn, read.Pfn);
        Assert.Equal(0, task.Mm.ResidentPages);
        Assert.Equal(FaultResult.TlbHit, machine.Access(2, task, vpn, write: false).Result);

        var write = machine.Access(0, task, vpn, write: true);
        Assert.Equal(FaultResult.Fault, write.Result);
        Assert.NotEqual(zeroPfn, write.Pfn);
        Assert.Equal(1, task.Mm.ResidentPages);
        Assert.Equal(1, Stat(machine, 0, 0, NodeStatItem.NrAnonPages));
        Assert.Equal(1, machine.Cpu(0).Faults);
        Assert.Equal(1, machine.Cpu(2).Faults);

        // CPU 2's entry for the zero page went with the shootdown: it walks to the new page.
        var after = machine.Access(2, task, vpn, write: false);
        Assert.Equal(FaultResult.Walk, after.Result);
        Assert.Equal(write.Pfn, after.Pfn);
    }

    [Fact]
    public void A_mapping_bound_to_the_far_node_gets_its_pages_there()
    {
        var machine = Machine();
        var task = Started(machine, 0);
        var vpn = machine.Mmap(0, task, 64 << 10, new MemPolicy(MemPolicyMode.Bind, [1]));

        var fault = machine.Access(0, task, vpn + 3, write: true);

        Assert.Equal(FaultResult.Fault, fault.Result);
        Assert.Equal(1, fault.Node);
        Assert.Equal(1, Stat(machine, 0, 1, NodeStatItem.NrAnonPages));
        Assert.Equal(0, Stat(machine, 0, 0, NodeStatItem.NrAnonPages));
    }

    [Fact]
    public void A_fault_with_no_memory_left_kills_the_task_and_gives_back_all_it_held()
    {
        var machine = Machine();
        var task = Started(machine, 0);
        var vpn = machine.Mmap(0, task, 16 << 10, MemPolicy.Default);
        Assert.Equal(FaultResult.Fault, machine.Access(0, task, vpn, write: true).Result);
        machine.Pages.DrainAllPcp();
        foreach (var zone in machine.Pages.Zones)
        {
            zone.Exhaust();
        }

        var oom = machine.Access(0, task, vpn + 1, write: true);

        Assert.Equal(FaultResult.OomKilled, oom.Result);
        Assert.True(task.Stopped);
        Assert.Empty(task.Mm!.Vmas);
        var report = Assert.Single(machine.Reports);
        Assert.Equal("oom", report.Kind);
        Assert.Contains("Killed process 2 (task1)", report.Message, StringComparison.Ordinal);
        Assert.Equal(1, machine.Pages.Cpu(0).Events[VmEventItem.OomKill]);
        Assert.Equal(0, Stat(machine, 0, 0, NodeStatItem.NrAnonPages));
        Assert.Equal(0, Stat(machine, 0, 0, NodeStatItem.NrPageTablePages));
    }
}
