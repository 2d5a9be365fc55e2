using NumaSim.Model.Migrate;
using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Migrate;

/// <summary>
/// migrate_pages for one folio driven by hand, as mbind's MPOL_MF_MOVE or move_pages would drive it: a mapped,
/// accessible page on node 0 moves to node 1 (on two-node's SLIT 20, the copy costs twice migrate-copy).
/// </summary>
public sealed class MigrateFolioTests
{
    private const long Vpn = 0x100000;

    private static (PageAllocatorMachine Pages, AddressSpace Mm, long Pfn, int Zone) MappedPage()
    {
        var topology = Machines.TwoNodeNormal(512);
        var pages = new PageAllocatorMachine(topology);
        var table = new AllocationRequest(0, Gfp.Kernel, MemPolicy.Default);
        var root = pages.Allocate(0, table);
        var mm = new AddressSpace(1, topology.Arch.Paging, root.Pfn, 0);
        mm.Mmap(16, Protection.ReadWrite, MemPolicy.Default);
        var tables = Enumerable.Range(0, mm.PageTable.MissingTables(Vpn)).Select(_ => (pages.Allocate(0, table).Pfn, 0)).ToList();
        var (pfn, zone) = pages.Allocate(0, new AllocationRequest(0, Gfp.HighUserMovable, MemPolicy.Default));
        mm.Map(Vpn, new Pte(pfn, 0, PteFlags.Present | PteFlags.Read | PteFlags.Write | PteFlags.User), tables);
        return (pages, mm, pfn, zone);
    }

    private static MigrateRequest Move(AddressSpace mm, long pfn) =>
        new(pfn, 0, 0, 1, MisplacedFolio.Destination(0, 1), MigrateReason.Syscall) { Mm = mm, Vpn = Vpn, Accessible = true, Writable = true };

    [Fact]
    public void A_mapped_page_is_flushed_copied_remapped_and_freed_on_its_source()
    {
        var (pages, mm, pfn, zone) = MappedPage();
        var events = new VmEventCounters();
        var migrate = new MigrateFolio(pages.Setup.Topology, LatencyModel.Default, events);

        var step = migrate.Begin(Move(mm, pfn), 0);
        Assert.Equal(MigrateStepKind.Allocate, step.Kind);
        Assert.Equal(MisplacedFolio.BaseGfp, migrate.Request!.Gfp);
        var (newPfn, newZone) = pages.Allocate(2, migrate.Request);
        Assert.Equal(1, ZoneIndex.Node(newZone));

        step = migrate.Resume(step.Now, AllocationStep.Done(newPfn, newZone));
        // try_to_migrate_one: a present, accessible entry may be in other TLBs.
        Assert.Equal(MigrateStepKind.Shootdown, step.Kind);
        Assert.Equal([Vpn], migrate.FlushVpns);

        var copied = step.Now;
        step = migrate.Resume(step.Now);
        Assert.Equal(MigrateStepKind.Free, step.Kind);
        Assert.Equal(copied + (LatencyModel.Default.MigrateCopyNs * 20 / 10), step.Now);
        Assert.Equal(new FreedBlock(zone, pfn, 0, MigrateType.Movable, PageTable: false), migrate.Freed);
        pages.Free(2, migrate.Freed.Zone, migrate.Freed.Pfn, 0, MigrateType.Movable);

        step = migrate.Resume(step.Now);
        Assert.Equal(MigrateStepKind.Done, step.Kind);
        Assert.True(migrate.Outcome.Migrated);
        Assert.Equal((pfn, zone, newPfn, newZone), (migrate.Outcome.OldPfn, migrate.Outcome.OldZone, migrate.Outcome.NewPfn, migrate.Outcome.NewZone));
        var pte = mm.PageTable.Walk(Vpn, [])!.Value;
        Assert.Equal((newPfn, 1, true), (pte.Pfn, pte.Node, pte.Writable));
        Assert.Equal(1, events[VmEventItem.PgmigrateSuccess]);
        Assert.Equal(0, events[VmEventItem.PgmigrateFail]);
        Assert.Null(migrate.InFlight);
    }

    [Fact]
    public void No_page_on_the_target_node_fails_the_migration_and_leaves_the_mapping()
    {
        var (pages, mm, pfn, _) = MappedPage();
        pages.Zone(ZoneIndex.Of(1, ZoneType.Normal)).Exhaust();
        var events = new VmEventCounters();
        var migrate = new MigrateFolio(pages.Setup.Topology, LatencyModel.Default, events);

        var step = migrate.Begin(Move(mm, pfn), 0);
        // __GFP_THISNODE with no reclaim: node 0's free pages are no answer.
        Assert.Equal((-1L, -1), pages.Allocate(2, migrate.Request!));
        step = migrate.Resume(step.Now, AllocationStep.Fail);

        Assert.Equal(MigrateStepKind.Done, step.Kind);
        Assert.False(migrate.Outcome.Migrated);
        Assert.Equal(1, events[VmEventItem.PgmigrateFail]);
        Assert.Equal((pfn, 0), (mm.PageTable.Walk(Vpn, [])!.Value.Pfn, mm.PageTable.Walk(Vpn, [])!.Value.Node));
    }

    [Fact]
    public void The_target_node_must_stay_above_its_high_watermark_with_the_page()
    {
        var (pages, _, _, _) = MappedPage();
        var view = (Func<int, ZoneFreeView>)(z => pages.Zone(z).View);
        Assert.True(MisplacedFolio.BalancedPgdat(pages.Setup, view, 1, 1));

        pages.Zone(ZoneIndex.Of(1, ZoneType.Normal)).Exhaust();

        Assert.False(MisplacedFolio.BalancedPgdat(pages.Setup, view, 1, 1));
    }
}
