using NumaSim.Model.Migrate;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Mmu;

/// <summary>
/// Demotion's side of migrate_pages on this CPU's page tables (demote_folio_list, MR_DEMOTION): reclaim on another
/// actor isolated the folio and got its destination page from the target node (alloc_demote_folio); here, as the
/// rmap walk on the task's page table, <see cref="MigrateFolio"/> unmaps it (this TLB at once, the other CPUs that may
/// cache the entry by IPI, not waited for, as try_to_unmap_flush's are), copies it at latency.migrate-copy scaled by
/// the distance, maps the new folio and gives the old one back to reclaim, which frees it. Runs whole, as an interrupt
/// does, beside whatever operation the handler has in flight (its own migration core); the per-node statistics move
/// with the folio. The driver puts the new folio on its node's LRU (not <see cref="TakeNewFolios"/>, which belongs to
/// the operation in flight).
/// </summary>
public sealed partial class FaultHandler
{
    private MigrateFolio? _demotion;

    /// <summary>
    /// Moves the folio <paramref name="vpn"/> of <paramref name="task"/> maps, if it still maps <paramref name="pfn"/>,
    /// into <paramref name="page"/> (allocated on the target node) at <paramref name="now"/>. Returns how it ended (not
    /// migrated: the entry changed meanwhile; the caller gives the destination page back) and the CPUs to flush.
    /// </summary>
    public (MigrateOutcome Outcome, IReadOnlyList<int> FlushCpus) Demote(IMmTask task, long vpn, long pfn, AllocationStep page, long now)
    {
        ArgumentNullException.ThrowIfNull(task);
        var mm = task.Mm!;
        var pte = mm.PageTable.Walk(vpn, _unmapWalk);
        if (pte is not { } present || present.ZeroPage || present.Pfn != pfn)
        {
            return (new MigrateOutcome(false, pfn, -1, -1, -1, 0, now, now), []);
        }
        // A huge folio moves whole (thp_migration_supported): the walk ends at its leaf, which names its first page.
        var order = present.Huge ? mm.Mode.HugeOrder : 0;
        vpn = present.Huge ? vpn & ~(long)(mm.Mode.HugePages - 1) : vpn;
        _demotion ??= new MigrateFolio(_topology, _latency, _events);
        var target = ZoneIndex.Node(page.Zone);
        var request = new MigrateRequest(pfn, present.Node, order, target, new AllocationRequest(order, Gfp.None, MemPolicy.Default) { Nid = target }, MigrateReason.Demotion)
        {
            Mm = mm,
            Vpn = vpn,
            Accessible = !present.ProtNone,
            Writable = present.Writable,
        };
        IReadOnlyList<int> flush = [];
        var step = _demotion.Begin(request, now);
        while (step.Kind != MigrateStepKind.Done)
        {
            switch (step.Kind)
            {
                case MigrateStepKind.Allocate:
                    step = _demotion.Resume(step.Now, page);
                    break;
                case MigrateStepKind.Shootdown:
                    Invalidate(mm.Id, vpn);
                    flush = [.. mm.CpusThatMayCache.Where(c => c != _cpu)];
                    step = _demotion.Resume(step.Now);
                    break;
                default:
                    // The old folio goes back to the reclaimer, which frees it (it counted it reclaimed).
                    step = _demotion.Resume(step.Now);
                    break;
            }
        }
        var outcome = _demotion.Outcome;
        var pages = 1 << order;
        NodeStats.Anon(outcome.OldZone, -pages);
        NodeStats.Anon(outcome.NewZone, pages);
        if (order > 0)
        {
            NodeStats.AnonHuge(ZoneIndex.Node(outcome.OldZone), -pages);
            NodeStats.AnonHuge(target, pages);
        }
        mm.Numa?.FolioMigrated(vpn, outcome.OldPfn, outcome.NewPfn);
        return (outcome, flush);
    }

    /// <summary>
    /// Demotion of a folio no page table maps (a page-cache folio, whose cache slot the page cache moves to the new
    /// page, as __folio_migrate_mapping does): the copy into <paramref name="page"/> alone, from
    /// <paramref name="node"/>, at <paramref name="now"/>.
    /// </summary>
    public MigrateOutcome DemoteUnmapped(long pfn, int node, AllocationStep page, long now)
    {
        _demotion ??= new MigrateFolio(_topology, _latency, _events);
        var target = ZoneIndex.Node(page.Zone);
        var request = new MigrateRequest(pfn, node, 0, target, new AllocationRequest(0, Gfp.None, MemPolicy.Default) { Nid = target }, MigrateReason.Demotion);
        var step = _demotion.Begin(request, now);
        while (step.Kind != MigrateStepKind.Done)
        {
            // Nothing maps it, so nothing is flushed: a page, then the old folio back to reclaim, which frees it.
            step = step.Kind == MigrateStepKind.Allocate ? _demotion.Resume(step.Now, page) : _demotion.Resume(step.Now);
        }
        return _demotion.Outcome;
    }
}
