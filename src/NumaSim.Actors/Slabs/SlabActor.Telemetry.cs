using System.Diagnostics;
using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;
using NumaSim.Telemetry.Tracing;

namespace NumaSim.Actors.Slabs;

/// <summary>
/// Spans of the kernel front-end's cross-node operations, as the CPU traces its own: a slab page
/// from another node's zone, and vfree's TLB flush, whose IPIs reach every node.
/// </summary>
public sealed partial class SlabActor
{
    private Activity? _pageSpan;
    private long _pageSpanStart;
    private Activity? _flushSpan;

    /// <summary>A request to a zone on another node: a span from the send to the answer, its context in the request.</summary>
    private ZoneAllocRequest TraceZoneRequest(ZoneAllocRequest request, int zoneNode)
    {
        if (zoneNode == _node || !SimSpans.Enabled)
        {
            return request;
        }
        _pageSpan = SimSpans.StartRoot(SpanNames.RemoteAlloc, Epoch, _now);
        _pageSpanStart = _now;
        if (_pageSpan is null)
        {
            return request;
        }
        if (_pageSpan.IsAllDataRequested)
        {
            Tag(_pageSpan, zoneNode);
            _pageSpan.SetTag(SpanAttributeNames.Order, request.Request.Order);
            _pageSpan.SetTag(SpanAttributeNames.Gfp, GfpFlags.Format(_fetching.Gfp));
        }
        return request with { Traceparent = SimSpans.Traceparent(_pageSpan) };
    }

    private void EndZoneSpan(long[] pfns)
    {
        if (_pageSpan is not { } span)
        {
            return;
        }
        _pageSpan = null;
        if (span.IsAllDataRequested && pfns.Length > 0)
        {
            span.SetTag(SpanAttributeNames.Pfn, pfns[0]);
        }
        SimSpans.End(span, Epoch, _pageSpanStart, _now);
    }

    /// <summary>The flush's span when it interrupts another node (its farthest CPU's); null when there is none to trace.</summary>
    private Activity? TraceFlush()
    {
        if (!SimSpans.Enabled)
        {
            return null;
        }
        var farthest = _topology.AllCpus.Select(_topology.NodeOfCpu).MaxBy(n => _topology.DistanceBetween(_node, n));
        if (farthest == _node)
        {
            return null;
        }
        _flushSpan = SimSpans.StartRoot(SpanNames.Shootdown, Epoch, _now);
        if (_flushSpan is { IsAllDataRequested: true })
        {
            Tag(_flushSpan, farthest);
        }
        return _flushSpan;
    }

    private void EndFlushSpan()
    {
        if (_flushSpan is { } span)
        {
            _flushSpan = null;
            SimSpans.End(span, Epoch, _flushSent, _now);
        }
    }

    private void Tag(Activity span, int dstNode)
    {
        span.SetTag(SpanAttributeNames.Cpu, _cpu);
        span.SetTag(SpanAttributeNames.SrcNode, _node);
        span.SetTag(SpanAttributeNames.DstNode, dstNode);
        span.SetTag(SpanAttributeNames.Distance, _topology.DistanceBetween(_node, dstNode));
    }
}
