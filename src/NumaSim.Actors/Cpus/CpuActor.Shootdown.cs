using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Observation;
using NumaSim.Model.Topology;
using NumaSim.Telemetry.Tracing;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// TLB shootdown (flush_tlb_mm_range): invalidate locally, send an IPI to every other CPU that
/// may cache the address space's entries, and wait in simulated time for all acknowledgements.
/// </summary>
public sealed partial class CpuActor
{
    private long _shootdowns, _ipisSent;

    private void Shootdown(SimTask task, IReadOnlyList<long> pages, Action then)
    {
        var mm = task.Mm!;
        foreach (var vpn in pages)
        {
            InvalidateTranslation(mm.Id, vpn);
        }
        var targets = pages.Count == 0 ? [] : mm.CpusThatMayCache.Where(c => c != _cpu).ToList();
        if (targets.Count == 0)
        {
            then();
            return;
        }
        _shootdowns++;
        var vpns = pages.ToArray();
        var span = Spans.StartShootdown(targets, Epoch, _now);
        var traceparent = SimSpans.Traceparent(span);
        foreach (var target in targets)
        {
            var distance = _topology.DistanceBetween(Node, _topology.NodeOfCpu(target));
            Outbox.Send(ComponentIds.Cpu(target), _now + _latency.Ipi(distance), NotBefore, new TlbShootdown(_cpu, mm.Id, vpns, ComponentId) { Traceparent = traceparent });
            _ipisSent++;
        }
        _acksAwaited = targets.Count;
        _blockEpisode++;
        var sent = _now;
        _ackContinuation = () =>
        {
            _recorder.Record("shootdown", _now - sent);
            if (span is not null)
            {
                SimSpans.End(span, Epoch, sent, _now);
            }
            then();
        };
    }

    /// <summary>invlpg: the page's entry in whichever TLB holds it (4 KiB or huge).</summary>
    private bool InvalidateTranslation(int asid, long vpn) =>
        _tlb.Invalidate(asid, vpn) | _hugeTlb.Invalidate(asid, vpn >> _hugeShift);

    /// <summary>An IPI: drop the entries and answer, whatever this CPU is doing.</summary>
    private void ServeShootdown(long time, TlbShootdown request)
    {
        var invalidated = 0;
        foreach (var vpn in request.VirtualPages)
        {
            invalidated += InvalidateTranslation(request.AddressSpace, vpn) ? 1 : 0;
        }
        var initiatorNode = _topology.NodeOfCpu(request.InitiatorCpu);
        var distance = _topology.DistanceBetween(Node, initiatorNode);
        if (Observed)
        {
            Observe(new IpiReceived(time, _cpu, request.InitiatorCpu, distance, request.VirtualPages.Length));
        }
        Outbox.Send(request.ReplyTo, time + _latency.Ipi(distance), NotBefore, new TlbShootdownAck(_cpu, request.AddressSpace, invalidated));
        if (request.Traceparent is not null)
        {
            TraceIpi(request, time, time + _latency.Ipi(distance), initiatorNode);
        }
    }
}
