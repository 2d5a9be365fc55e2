using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;
using NumaSim.Telemetry.Tracing;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// Demotion on the CPU side: reclaim on a node's kswapd (for itself or for a direct reclaimer) took a folio this
/// CPU's task maps and got its page on the slower node; the rmap walk and the migration run here at once, as an
/// interrupt does (FaultHandler.Demote: unmap, flush, copy, remap), whatever this CPU waits for, and the answer goes
/// back to the kswapd, which frees the old page. The new folio joins its node's LRU; the migration is an mm.migrate
/// span. A request for a task that moved on follows it; one whose mapping changed gives the page back.
/// </summary>
public sealed partial class CpuActor
{
    private void ServeDemote(long time, DemoteRemap remap)
    {
        var mm = _tasks.TryGetValue(remap.TaskId, out var task) ? task.Mm : null;
        if (mm is null && FollowTask(time, remap.TaskId, remap))
        {
            return;
        }
        Allocator.CountDemotionTarget(remap.NewZone, remap.SourceNode, remap.Order);
        if (mm is null)
        {
            NotDemoted(time, remap);
            return;
        }
        var page = new AllocationStep(AllocationStepKind.Allocated, remap.NewPfn, remap.NewZone, default);
        var (outcome, flush) = _mmu.Demote(task!, remap.Vpn, remap.Pfn, page, time);
        if (!outcome.Migrated)
        {
            NotDemoted(time, remap);
            return;
        }
        FlushOthers(time, flush, mm.Id, remap.Vpn, ComponentIds.Kswapd(remap.SourceNode));
        // Straight to the target's LRU rather than in this CPU's batch, which goes at this CPU's clock, not the interrupt's.
        var node = ZoneIndex.Node(remap.NewZone);
        Outbox.Send(ComponentIds.Kswapd(node), outcome.End + ServiceTrip(node), NotBefore, new LruAddAnon(CpuId, [remap.TaskId], [remap.NewPfn], [remap.Order], [remap.Vpn]));
        if (SimSpans.Enabled)
        {
            TraceMigration(outcome, remap.SourceNode, SpanNames.Demote);
        }
        Outbox.Send(ComponentIds.Kswapd(remap.SourceNode), outcome.End + ServiceTrip(remap.SourceNode), NotBefore, new DemoteDone(remap.Pfn, true));
    }

    // A page-cache folio of this CPU's node: the copy here (its allocation counted here, as for the CPU kswapd runs on),
    // then the page cache moves its slot to the new page and tells the kswapd.
    private void ServeDemoteFile(long time, DemoteFile demote)
    {
        Allocator.CountDemotionTarget(demote.NewZone, demote.SourceNode);
        var page = new AllocationStep(AllocationStepKind.Allocated, demote.NewPfn, demote.NewZone, default);
        var outcome = _mmu.DemoteUnmapped(demote.Pfn, demote.SourceNode, page, time);
        if (SimSpans.Enabled)
        {
            TraceMigration(outcome, demote.SourceNode, SpanNames.Demote);
        }
        var cache = ComponentIds.NodeOfService(ComponentIds.PageCache, Topology);
        Outbox.Send(ComponentIds.PageCache, outcome.End + ServiceTrip(cache), NotBefore, new PageCacheMigrate(demote.SourceNode, demote.Pfn, demote.NewPfn, demote.NewZone));
    }

    // The folio is not this task's at that address any more (freed, migrated, swapped): the target's page goes back.
    private void NotDemoted(long time, DemoteRemap remap)
    {
        Allocator.Events.CountFree(remap.Order);
        var distance = Topology.DistanceBetween(NodeId, ZoneIndex.Node(remap.NewZone));
        Outbox.Send(ComponentIds.Zone(remap.NewZone), time + Latency.ZoneMessage(distance), NotBefore, new ZoneFreeBlocks(CpuId, [(remap.NewPfn, remap.Order)]));
        Outbox.Send(ComponentIds.Kswapd(remap.SourceNode), time + ServiceTrip(remap.SourceNode), NotBefore, new DemoteDone(remap.Pfn, false));
    }
}
