using System.Diagnostics;
using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;
using NumaSim.Telemetry.Tracing;

namespace NumaSim.Actors.Engine;

/// <summary>
/// Spans of what one CPU side component (a CPU, or its kernel front-end) does across nodes: the
/// node pair each crosses, and the one request to another node's zone it may have open, from the
/// send to the answer. Callers check <see cref="SimSpans.Enabled"/> first where it saves work.
/// </summary>
public sealed class CrossNodeSpans(int cpu, int node, MachineTopology topology)
{
    private Activity? _zoneRequest;
    private long _zoneRequestStart;

    public void Tag(Activity span, int dstNode)
    {
        span.SetTag(SpanAttributeNames.Cpu, cpu);
        span.SetTag(SpanAttributeNames.SrcNode, node);
        span.SetTag(SpanAttributeNames.DstNode, dstNode);
        span.SetTag(SpanAttributeNames.Distance, topology.DistanceBetween(node, dstNode));
    }

    /// <summary>A request to a zone on another node opens a span; its context travels in the request.</summary>
    public ZoneAllocRequest StartZoneRequest(ZoneAllocRequest request, int zoneNode, Gfp gfp, SimEpoch epoch, long now)
    {
        if (zoneNode == node || !SimSpans.Enabled)
        {
            return request;
        }
        _zoneRequest = SimSpans.StartRoot(SpanNames.RemoteAlloc, epoch, now);
        _zoneRequestStart = now;
        if (_zoneRequest is null)
        {
            return request;
        }
        if (_zoneRequest.IsAllDataRequested)
        {
            Tag(_zoneRequest, zoneNode);
            _zoneRequest.SetTag(SpanAttributeNames.Order, request.Request.Order);
            _zoneRequest.SetTag(SpanAttributeNames.Gfp, GfpFlags.Format(gfp));
        }
        return request with { Traceparent = SimSpans.Traceparent(_zoneRequest) };
    }

    /// <summary>The zone answered: the open request's span ends, with the first page it got.</summary>
    public void EndZoneRequest(long[] pfns, SimEpoch epoch, long now)
    {
        if (_zoneRequest is not { } span)
        {
            return;
        }
        _zoneRequest = null;
        if (span.IsAllDataRequested && pfns.Length > 0)
        {
            span.SetTag(SpanAttributeNames.Pfn, pfns[0]);
        }
        SimSpans.End(span, epoch, _zoneRequestStart, now);
    }

    /// <summary>The span of a TLB flush whose IPIs reach another node (tagged with the farthest); null when there is none to trace.</summary>
    public Activity? StartShootdown(IEnumerable<int> targetCpus, SimEpoch epoch, long now)
    {
        if (!SimSpans.Enabled)
        {
            return null;
        }
        var farthest = targetCpus.Select(topology.NodeOfCpu).MaxBy(n => topology.DistanceBetween(node, n));
        if (farthest == node)
        {
            return null;
        }
        var span = SimSpans.StartRoot(SpanNames.Shootdown, epoch, now);
        if (span is { IsAllDataRequested: true })
        {
            Tag(span, farthest);
        }
        return span;
    }
}
