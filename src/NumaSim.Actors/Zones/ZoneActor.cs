using Akka.Actor;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Model.Topology;
using NumaSim.Results;
using NumaSim.Telemetry.Tracing;

namespace NumaSim.Actors.Zones;

/// <summary>
/// One zone: owns its buddy allocator. Requests queue behind the zone lock: each is served when
/// the zone is free, costs buddy-op per block, and the answer travels back at the distance's latency.
/// </summary>
public sealed class ZoneActor : SimComponentActor
{
    private readonly ZonePageAllocator _zone;
    private readonly MachineTopology _topology;
    private readonly LatencyModel _latency;
    private long _lockFreeAt;

    public ZoneActor(ZoneSetup setup, MachineTopology topology, LatencyModel latency, bool quantumWindows, IEnumerable<long>? exhaustAt = null, int watermarkBoostFactor = BuddyZone.DefaultWatermarkBoostFactor)
        : base(ComponentIds.Zone(setup.Index), quantumWindows)
    {
        _topology = topology;
        _latency = latency;
        _zone = new ZonePageAllocator(setup, topology.Arch, watermarkBoostFactor);
        foreach (var at in exhaustAt ?? [])
        {
            Schedule(at, ExhaustZone.Instance);
        }
    }

    protected override object State() => new ZoneState(_zone.Snapshot());

    protected override TimelineShare Timeline() => TimelineShare.Of(ZoneSample.Of(_zone.Snapshot()));

    public static Props Props(
        ZoneSetup setup, MachineTopology topology, LatencyModel latency, bool quantumWindows = false, IReadOnlyList<long>? exhaustAt = null,
        int watermarkBoostFactor = BuddyZone.DefaultWatermarkBoostFactor) =>
        Akka.Actor.Props.Create(() => new ZoneActor(setup, topology, latency, quantumWindows, exhaustAt, watermarkBoostFactor));

    protected override ZoneFreeView? View => _zone.View;

    protected override void Handle(SimEventKey key, ISimPayload payload)
    {
        var start = Math.Max(key.Time, _lockFreeAt);
        switch (payload)
        {
            case ZoneAllocRequest request:
                var granted = _zone.Serve(request.Request);
                _lockFreeAt = start + _latency.BuddyOpNs * Math.Max(1, granted.Count);
                var distance = _topology.DistanceBetween(_zone.Setup.Node, _topology.NodeOfCpu(request.Cpu));
                Outbox.Send(request.ReplyTo, _lockFreeAt + _latency.ZoneMessage(distance), NotBefore, new ZoneAllocReply(_zone.Setup.Index, [.. granted]));
                if (request.Traceparent is not null)
                {
                    TraceServe(request, key.Time, granted.Count > 0 ? granted[0] : -1, distance);
                }
                if (_zone.TakeBoostedWatermark())
                {
                    // rmqueue's end: the fallback boosted this zone; its node's kswapd reclaims for the boost.
                    var setup = _zone.Setup;
                    Outbox.Send(ComponentIds.Kswapd(setup.Node), _lockFreeAt + _latency.ZoneMessageNs, NotBefore,
                        new KswapdWake(0, (int)setup.Spec.Type, setup.Index, _zone.Buddy.WatermarkBoostRaised));
                }
                break;
            case ZoneFreeBlocks free:
                if (!_zone.Free(free.Blocks))
                {
                    throw new InvalidOperationException($"CPU {free.Cpu} freed a block zone {_zone.Setup.Index} never handed out");
                }
                _lockFreeAt = start + _latency.BuddyOpNs * free.Blocks.Length;
                break;
            case ReclaimedPages reclaimed:
                if (!_zone.FreeReclaimed(reclaimed.Pfns, reclaimed.Order))
                {
                    throw new InvalidOperationException($"reclaim freed a page zone {_zone.Setup.Index} never handed out");
                }
                _lockFreeAt = start + _latency.BuddyOpNs * reclaimed.Pfns.Length;
                break;
            case ZoneSplitPage split:
                if (!_zone.SplitPage(split.Pfn, split.Order))
                {
                    throw new InvalidOperationException($"a CPU split a block zone {_zone.Setup.Index} never handed out");
                }
                break;
            case ZoneUnreserveHighAtomic unreserve:
                var unreserved = _zone.UnreserveHighAtomic(unreserve.Force, unreserve.Type);
                _lockFreeAt = start + _latency.BuddyOpNs;
                var back = _topology.DistanceBetween(_zone.Setup.Node, _topology.NodeOfCpu(ComponentIds.CpuOf(unreserve.ReplyTo)));
                Outbox.Send(unreserve.ReplyTo, _lockFreeAt + _latency.ZoneMessage(back), NotBefore, new ZoneUnreserveReply(unreserved));
                break;
            case ZoneReserveHighAtomic reserve:
                _zone.ReserveHighAtomic(reserve.Pfn, reserve.Order);
                _lockFreeAt = start + _latency.BuddyOpNs;
                break;
            case ZoneReclaimActive active:
                _zone.ReclaimActive = active.Active;
                break;
            case ZoneWatermarkBoostCleared cleared:
                _zone.ClearWatermarkBoost(cleared.Boost);
                break;
            case ExhaustZone:
                _zone.Exhaust();
                break;
        }
    }

    /// <summary>The serving side of a traced remote allocation: from the request's arrival, through the zone lock, to the answer's departure.</summary>
    private void TraceServe(ZoneAllocRequest request, long arrival, long pfn, int distance)
    {
        var span = SimSpans.StartChild(SpanNames.ZoneServe, request.Traceparent, Epoch, arrival);
        if (span is null)
        {
            return;
        }
        if (span.IsAllDataRequested)
        {
            span.SetTag(SpanAttributeNames.Cpu, request.Cpu);
            span.SetTag(SpanAttributeNames.SrcNode, _topology.NodeOfCpu(request.Cpu));
            span.SetTag(SpanAttributeNames.DstNode, _zone.Setup.Node);
            span.SetTag(SpanAttributeNames.Distance, distance);
            span.SetTag(SpanAttributeNames.Order, request.Request.Order);
            if (pfn >= 0)
            {
                span.SetTag(SpanAttributeNames.Pfn, pfn);
            }
        }
        SimSpans.End(span, Epoch, arrival, _lockFreeAt);
    }
}
