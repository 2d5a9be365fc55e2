using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Reclaim;
using NumaSim.Model.Topology;

namespace NumaSim.Actors.Engine;

/// <summary>
/// The allocator's slow-path steps answered by message (__alloc_pages_slowpath): wake the zonelist's kswapds (no
/// wait), reclaim directly through each node's kswapd actor in zonelist order until SWAP_CLUSTER_MAX pages are back,
/// drain every CPU's lists (CpuSideActor.Drain.cs), node_reclaim a zone before leaving it, and call the OOM killer
/// (CpuSideActor.Oom.cs). While a node reclaims for it, the CPU waits. The zones' free counts it checks are a window old, so what reclaim and the drain gave back
/// is added to them for the rest of this allocation.
/// </summary>
public abstract partial class CpuSideActor
{
    private readonly long[] _reclaimable;
    // What this CPU waits for from kernel services, by the answer's type: a read waits for the page cache while the
    // allocations it makes for it may wait for a node's reclaim.
    private readonly Dictionary<Type, Action<ISimPayload>> _serviceWaits = [];
    private long[]? _overlay;
    private bool _directReclaim;

    protected sealed override bool Reclaiming => _directReclaim;

    /// <summary>The direct-reclaim passes this CPU's allocations made (allocstall, as summary.json's reclaim_waits counts them).</summary>
    protected long DirectReclaimPasses { get; private set; }

    /// <summary>Sends a request to a kernel service (a kswapd, the page cache) and waits for its answer, a <typeparamref name="TReply"/>.</summary>
    protected void AskService<TReply>(int service, long arrival, ISimPayload request, Action<TReply> then)
        where TReply : IServiceAnswer
    {
        Outbox.Send(service, arrival, NotBefore, request);
        _serviceWaits.Add(typeof(TReply), answer => then((TReply)answer));
        _blockEpisode++;
    }

    /// <summary>
    /// Answers, while this CPU waits, a service whose own answer this CPU waits for (the page cache's request for
    /// pages): the wait starts afresh, so the window stops here and the clock bounds this CPU by that service again.
    /// </summary>
    protected void AnswerService(int service, long arrival, ISimPayload answer)
    {
        Outbox.Send(service, arrival, NotBefore, answer);
        _blockEpisode++;
    }

    /// <summary>The one-way trip to a node's kernel service.</summary>
    protected long ServiceTrip(int node) => Latency.ZoneMessage(Topology.DistanceBetween(NodeId, node));

    private static bool IsSlowpathStep(AllocationStepKind kind) =>
        kind is AllocationStepKind.WakeKswapd or AllocationStepKind.DirectReclaim or AllocationStepKind.DrainAllPages
            or AllocationStepKind.NodeReclaim or AllocationStepKind.UnreserveHighAtomic or AllocationStepKind.OutOfMemory;

    /// <summary>Answers a step at once (true, with the next step) or starts waiting for it (false).</summary>
    private bool TrySlowpathStep(ref AllocationStep step, Action<AllocationStep> then)
    {
        switch (step.Kind)
        {
            case AllocationStepKind.WakeKswapd:
                foreach (var node in step.Nodes)
                {
                    Outbox.Send(ComponentIds.Kswapd(node), Now + ServiceTrip(node), NotBefore, new KswapdWake(step.Request.Order, step.Request.HighestZoneIdx));
                }
                step = Allocator.ResumeAfterWake(_view);
                return true;
            case AllocationStepKind.DirectReclaim:
                _directReclaim = true;
                DirectReclaimPasses++;
                ReclaimOn(step, 0, 0, then);
                return false;
            case AllocationStepKind.DrainAllPages:
                foreach (var (zone, pages) in DrainLocal())
                {
                    Lift(zone, pages);
                }
                return DrainOthers(ref step, then);
            case AllocationStepKind.NodeReclaim:
                var target = step.Nodes[0];
                AskService<ReclaimReply>(ComponentIds.Kswapd(target), Now + ServiceTrip(target),
                    new ReclaimRequest(ReclaimKind.Node, CpuId, step.Request.Order, step.Request.HighestZoneIdx, true, ScanControl.SwapClusterMax, ComponentId),
                    reply =>
                    {
                        Answered(reply);
                        DriveAllocation(Allocator.ResumeAfterNodeReclaim(_view), then);
                    });
                return false;
            case AllocationStepKind.UnreserveHighAtomic:
                UnreserveOn(step, 0, then);
                return false;
            default:
                return OutOfMemory(ref step, then);
        }
    }

    /// <summary>try_to_free_pages: the zonelist's nodes in turn, from <paramref name="index"/>, until SWAP_CLUSTER_MAX pages are back.</summary>
    private void ReclaimOn(AllocationStep step, int index, long reclaimed, Action<AllocationStep> then)
    {
        var node = step.Nodes[index];
        var request = new ReclaimRequest(ReclaimKind.Direct, CpuId, step.Request.Order, step.Request.HighestZoneIdx,
            (_requestGfp & Gfp.Io) != 0, ScanControl.SwapClusterMax - reclaimed, ComponentId);
        AskService<ReclaimReply>(ComponentIds.Kswapd(node), Now + ServiceTrip(node), request, reply =>
        {
            Answered(reply);
            var total = reclaimed + reply.Reclaimed;
            if (total < ScanControl.SwapClusterMax && index + 1 < step.Nodes.Count)
            {
                ReclaimOn(step, index + 1, total, then);
                return;
            }
            // What a pass costs beyond the pages it scans (shrinking the slab caches, a compaction attempt, the throttle).
            Now += Latency.DirectReclaimNs;
            DriveAllocation(Allocator.ResumeAfterReclaim(total, _view, zone => _reclaimable[zone]), then);
        });
    }

    /// <summary>unreserve_highatomic_pageblock: the zonelist's zones in turn, until one gives a pageblock back.</summary>
    private void UnreserveOn(AllocationStep step, int index, Action<AllocationStep> then)
    {
        if (index == step.Zones.Count)
        {
            DriveAllocation(Allocator.ResumeAfterUnreserve(false), then);
            return;
        }
        var zone = step.Zones[index];
        var distance = Topology.DistanceBetween(NodeId, ZoneIndex.Node(zone));
        AskService<ZoneUnreserveReply>(ComponentIds.Zone(zone), Now + Latency.ZoneMessage(distance),
            new ZoneUnreserveHighAtomic(step.Force, step.Request.Type, ComponentId), reply =>
            {
                if (reply.Unreserved)
                {
                    DriveAllocation(Allocator.ResumeAfterUnreserve(true), then);
                    return;
                }
                UnreserveOn(step, index + 1, then);
            });
    }

    private void Answered(ReclaimReply reply)
    {
        for (var zone = 0; zone < reply.FreedByZone.Length; zone++)
        {
            Lift(zone, reply.FreedByZone[zone]);
            if (reply.ReclaimableByZone[zone] >= 0)
            {
                _reclaimable[zone] = reply.ReclaimableByZone[zone];
            }
        }
    }

    private void Lift(int zone, long pages)
    {
        if (pages == 0)
        {
            return;
        }
        _overlay ??= new long[_reclaimable.Length];
        _overlay[zone] += pages;
    }
}
