using NumaSim.Model.Lru;
using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Mmu;

/// <summary>
/// do_swap_page in the fault handler, driven by <see cref="FaultMachine"/>; the tests play reclaim's part
/// (add_to_swap, try_to_unmap, the folio freed) as the reclaim host does.
/// </summary>
public sealed class FaultHandlerSwapTests
{
    private static FaultMachine Machine()
    {
        var t = Machines.TwoNodeNormal();
        return new FaultMachine(new MachineTopology(t.Name, t.Arch, t.Nodes, t.Distance, t.Vm) { SwapBytes = 1L << 20 }, LatencyModel.Default, TlbConfig.Default);
    }

    private static (MmTask Task, long Vpn, FaultOutcome Page) Touched(FaultMachine machine)
    {
        var task = new MmTask(1, MemPolicy.Default);
        machine.CreateMm(0, task);
        var vpn = machine.Mmap(0, task, 16 << 10, MemPolicy.Default);
        return (task, vpn, machine.Access(0, task, vpn, write: true));
    }

    // shrink_folio_list for the page: a slot, the entry swapped, written; with freed, the folio leaves the LRU and
    // the swap cache and goes back to the allocator.
    private static long SwapOut(FaultMachine machine, MmTask task, long vpn, FaultOutcome page, bool freed)
    {
        var zone = ZoneIndex.Of(page.Node, ZoneType.Normal);
        var slot = machine.Swap.AddToSwap(page.Pfn, zone);
        Assert.NotNull(task.Mm!.UnmapToSwap(vpn, slot));
        machine.Swap.Duplicate(slot);
        machine.Cpu(0).Invalidate(task.Mm.Id, vpn);
        if (freed)
        {
            // Eviction takes the folio off its node's LRU, where the fault put it.
            machine.Lruvec(page.Node).Remove(page.Pfn);
            machine.Swap.DeleteFromSwapCache(page.Pfn, -1);
            machine.Pages.Free(0, zone, page.Pfn, 0, MigrateType.Movable);
        }
        return slot;
    }

    [Fact]
    public void A_read_of_a_swapped_out_page_reads_it_into_a_new_page_a_major_fault_and_keeps_it_in_the_swap_cache()
    {
        var machine = Machine();
        var (task, vpn, page) = Touched(machine);
        var slot = SwapOut(machine, task, vpn, page, freed: true);
        Assert.Equal(0, task.Mm!.ResidentPages);

        var fault = machine.Access(0, task, vpn, write: false);
        var write = machine.Access(0, task, vpn, write: true);

        Assert.Equal(FaultResult.Fault, fault.Result);
        Assert.Equal(FaultKind.None, task.Mm.Classify(vpn, true, task.Mm.PageTable.Walk(vpn, [])));
        var events = machine.Pages.Cpu(0).Events;
        Assert.Equal(1, events[VmEventItem.Pswpin]);
        Assert.Equal(1, events[VmEventItem.Pgmajfault]);
        Assert.Equal(2, events[VmEventItem.Pgfault]);
        // Mapped writable and dirty (the folio is the task's own): the write needs no fault.
        Assert.Equal(FaultResult.TlbHit, write.Result);
        Assert.Equal(1, task.Mm.ResidentPages);
        Assert.Equal(fault.Pfn, machine.Swap.Lookup(slot).Pfn);
        Assert.Equal(1, machine.Swap.InusePages);
        Assert.Equal(1, machine.Lruvec(fault.Node).Size(LruList.ActiveAnon));
    }

    [Fact]
    public void A_write_fault_gives_the_slot_up()
    {
        var machine = Machine();
        var (task, vpn, page) = Touched(machine);
        SwapOut(machine, task, vpn, page, freed: true);

        var fault = machine.Access(0, task, vpn, write: true);

        Assert.Equal(FaultResult.Fault, fault.Result);
        Assert.Equal(0, machine.Swap.InusePages);
        Assert.Equal(0, machine.Swap.CachedPages);
    }

    [Fact]
    public void A_page_still_in_the_swap_cache_is_mapped_again_without_a_read()
    {
        var machine = Machine();
        var (task, vpn, page) = Touched(machine);
        SwapOut(machine, task, vpn, page, freed: false);

        var fault = machine.Access(0, task, vpn, write: false);

        Assert.Equal(FaultResult.Fault, fault.Result);
        Assert.Equal(page.Pfn, fault.Pfn);
        Assert.Equal(Gfp.None, fault.Gfp);
        Assert.Equal(0, machine.Pages.Cpu(0).Events[VmEventItem.Pswpin]);
        Assert.Equal(0, machine.Pages.Cpu(0).Events[VmEventItem.Pgmajfault]);
    }

    [Fact]
    public void Unmapping_a_swapped_out_page_frees_its_slot()
    {
        var machine = Machine();
        var (task, vpn, page) = Touched(machine);
        SwapOut(machine, task, vpn, page, freed: true);

        var unmapped = machine.UnmapAndRemap(0, task, vpn, 4);
        var again = machine.Access(0, task, vpn, write: true);

        Assert.Equal(FaultResult.Unmapped, unmapped.Result);
        Assert.Equal(0, machine.Swap.InusePages);
        // A fresh zeroed page, not the swapped data.
        Assert.Equal(Gfp.HighUserMovable | Gfp.Zero, again.Gfp);
        Assert.Equal(0, machine.Pages.Cpu(0).Events[VmEventItem.Pswpin]);
    }
}
