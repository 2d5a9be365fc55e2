using System.Diagnostics;
using System.Globalization;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;
using NumaSim.Telemetry.Tracing;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// What the CPU shows of itself: memory accesses and stream allocations by the page's node (the
/// node-to-node traffic of the report) and spans of its cross-node operations. The span hooks check
/// for a listener first, so with telemetry off an access costs one array increment more.
/// </summary>
public sealed partial class CpuActor
{
    private readonly long[] _accessesByNode;
    private Gfp _allocGfp;

    /// <summary>One memory access of <paramref name="kind"/> to a page on <paramref name="pageNode"/>, started at <paramref name="start"/>.</summary>
    private void RecordAccess(string kind, long start, int pageNode, long pfn, int order)
    {
        _accessesByNode[pageNode]++;
        if (LatencyByNodePair)
        {
            PairCounter(kind, pageNode).Record(_now - start);
        }
        if ((pageNode != NodeId || kind == AccessKinds.Fault) && SimSpans.Enabled)
        {
            TraceAccess(kind == AccessKinds.Fault ? SpanNames.Fault : SpanNames.RemoteAccess, start, pageNode, pfn, order);
        }
    }

    /// <summary>An access or fault is over when it is traced: its span is made whole, start and end in simulated time.</summary>
    private void TraceAccess(string name, long start, int pageNode, long pfn, int order)
    {
        var span = SimSpans.StartRoot(name, Epoch, start);
        if (span is null)
        {
            return;
        }
        if (span.IsAllDataRequested)
        {
            Spans.Tag(span, pageNode);
            span.SetTag(SpanAttributeNames.Pfn, pfn);
            span.SetTag(SpanAttributeNames.Order, order);
            if (name == SpanNames.Fault)
            {
                span.SetTag(SpanAttributeNames.Gfp, GfpFlags.Format(_allocGfp));
            }
        }
        SimSpans.End(span, Epoch, start, _now);
    }

    /// <summary>The IPI's span on this CPU, child of the initiator's shootdown: from its arrival to the acknowledgement's.</summary>
    private void TraceIpi(TlbShootdown request, long arrival, long ackArrival, int initiatorNode)
    {
        var span = SimSpans.StartChild(SpanNames.ShootdownIpi, request.Traceparent, Epoch, arrival);
        if (span is null)
        {
            return;
        }
        if (span.IsAllDataRequested)
        {
            span.SetTag(SpanAttributeNames.Cpu, CpuId);
            span.SetTag(SpanAttributeNames.SrcNode, initiatorNode);
            span.SetTag(SpanAttributeNames.DstNode, NodeId);
            span.SetTag(SpanAttributeNames.Distance, Topology.DistanceBetween(initiatorNode, NodeId));
        }
        SimSpans.End(span, Epoch, arrival, ackArrival);
    }

    /// <summary>Access latency by kind and page node; made on first use, so a run that does not ask keeps nothing.</summary>
    private LatencyRecorder? _pairLatency;
    private LatencyRecorder.Counter[,]? _pairCounters;

    private LatencyRecorder.Counter PairCounter(string kind, int pageNode)
    {
        if (_pairCounters is null)
        {
            _pairLatency = new LatencyRecorder();
            _pairCounters = new LatencyRecorder.Counter[AccessKinds.All.Length, Topology.Nodes.Count];
            for (var k = 0; k < AccessKinds.All.Length; k++)
            {
                for (var n = 0; n < Topology.Nodes.Count; n++)
                {
                    _pairCounters[k, n] = _pairLatency.For(string.Create(CultureInfo.InvariantCulture, $"{AccessKinds.All[k]}|{NodeId}|{n}"));
                }
            }
        }
        var index = kind == AccessKinds.TlbHit ? 0 : kind == AccessKinds.Walk ? 1 : 2;
        return _pairCounters[index, pageNode];
    }

    private static class AccessKinds
    {
        public const string TlbHit = "tlb_hit";
        public const string Walk = "walk";
        public const string Fault = "fault";

        public static readonly string[] All = [TlbHit, Walk, Fault];
    }
}
