using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;

namespace NumaSim.Actors.Engine;

/// <summary>Page allocation and free on behalf of a CPU: the per-CPU lists at once, a zone by message and reply.</summary>
public abstract partial class CpuSideActor
{
    private readonly Func<int, ZoneFreeView> _view;
    private Action<AllocationStep>? _pageContinuation;
    private Gfp _requestGfp;
    private AllocationRequest? _request;
    private CrossNodeSpans? _crossNodeSpans;

    /// <summary>Spans of this CPU's cross-node operations.</summary>
    protected CrossNodeSpans Spans => _crossNodeSpans ??= new CrossNodeSpans(CpuId, NodeId, Topology);

    /// <summary>One page-allocator call; the continuation runs when it completes, at once or after a zone answers.</summary>
    protected void AllocatePages(AllocationRequest request, Action<AllocationStep> then)
    {
        ArgumentNullException.ThrowIfNull(request);
        _requestGfp = request.Gfp;
        _request = request;
        _directReclaim = false;
        _overlay = null;
        DriveAllocation(Allocator.Begin(request, _view), then);
    }

    private int _askedZone = -1;

    private void DriveAllocation(AllocationStep step, Action<AllocationStep> then)
    {
        while (IsSlowpathStep(step.Kind))
        {
            if (!TrySlowpathStep(ref step, then))
            {
                return;
            }
        }
        if (step.Kind == AllocationStepKind.AskZone)
        {
            var zoneNode = ZoneIndex.Node(step.Zone);
            var distance = Topology.DistanceBetween(NodeId, zoneNode);
            var request = Spans.StartZoneRequest(new ZoneAllocRequest(CpuId, step.Request, ComponentId), zoneNode, _requestGfp, Epoch, Now);
            Outbox.Send(ComponentIds.Zone(step.Zone), Now + Latency.ZoneMessage(distance), NotBefore, request);
            _pageContinuation = then;
            _askedZone = ComponentIds.Zone(step.Zone);
            _blockEpisode++;
            return;
        }
        if (step.ReserveHighAtomic)
        {
            // The page came from this CPU's list: the zone reserves its pageblock, and the CPU does not wait for that.
            var distance = Topology.DistanceBetween(NodeId, ZoneIndex.Node(step.Zone));
            Outbox.Send(ComponentIds.Zone(step.Zone), Now + Latency.ZoneMessage(distance), NotBefore, new ZoneReserveHighAtomic(step.Pfn, _request!.Order));
        }
        _directReclaim = false;
        then(step);
    }

    /// <summary>
    /// Frees a block through this CPU's list (kept small while the zone's kswapd runs, as the zone's view says); a
    /// drain costs the trip to the zone and its lock work. Returns the
    /// number of blocks drained to the zone.
    /// </summary>
    protected int FreeToPcp(int zone, long pfn, int order, MigrateType type)
    {
        // ZONE_RECLAIM_ACTIVE as the zone showed it at the window's start: the list stays small while kswapd runs.
        var drained = Allocator.Free(zone, pfn, order, type, zone < Views.Length && Views[zone].ReclaimActive);
        Now += Latency.PcpFreeNs;
        GiveBackToZone(zone, drained);
        return drained.Count;
    }

    /// <summary>Blocks drained from this CPU's list go back to their zone's buddy lists: the trip and the lock work.</summary>
    protected void GiveBackToZone(int zone, IReadOnlyList<(long Pfn, int Order)> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0)
        {
            return;
        }
        var distance = Topology.DistanceBetween(NodeId, ZoneIndex.Node(zone));
        Outbox.Send(ComponentIds.Zone(zone), Now + Latency.ZoneMessage(distance), NotBefore, new ZoneFreeBlocks(CpuId, [.. blocks]));
        Now += Latency.ZoneMessage(distance) + Latency.BuddyOpNs * blocks.Count;
        if (_givenBack is not null)
        {
            foreach (var (_, order) in blocks)
            {
                _givenBack[zone] += 1L << order;
            }
        }
    }
}
