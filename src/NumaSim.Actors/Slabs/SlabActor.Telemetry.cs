using System.Diagnostics;
using NumaSim.Actors.Engine;
using NumaSim.Telemetry.Tracing;

namespace NumaSim.Actors.Slabs;

/// <summary>
/// Spans of the kernel front-end's cross-node operations, as the CPU traces its own: a slab page
/// from another node's zone, and vfree's TLB flush, whose IPIs reach every node.
/// </summary>
public sealed partial class SlabActor
{
    private CrossNodeSpans? _crossNodeSpans;
    private Activity? _flushSpan;

    private CrossNodeSpans Spans => _crossNodeSpans ??= new CrossNodeSpans(_cpu, _node, _topology);

    private void EndFlushSpan()
    {
        if (_flushSpan is { } span)
        {
            _flushSpan = null;
            SimSpans.End(span, Epoch, _flushSent, _now);
        }
    }
}
