using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Observation;
using NumaSim.Telemetry.Tracing;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// TLB shootdown's IPIs (flush_tlb_mm_range): the fault handler has flushed this CPU and named the others that may
/// cache the entries; each gets an IPI, and the CPU waits in simulated time for all acknowledgements.
/// </summary>
public sealed partial class CpuActor
{
    private long _shootdowns, _ipisSent;

    private void Shootdown(int asid, long[] vpns, IReadOnlyList<int> targets, Action then)
    {
        _shootdowns++;
        var span = Spans.StartShootdown(targets, Epoch, _now);
        var traceparent = SimSpans.Traceparent(span);
        foreach (var target in targets)
        {
            var distance = _topology.DistanceBetween(Node, _topology.NodeOfCpu(target));
            Outbox.Send(ComponentIds.Cpu(target), _now + _latency.Ipi(distance), NotBefore, new TlbShootdown(_cpu, asid, vpns, ComponentId) { Traceparent = traceparent });
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

    /// <summary>An IPI: drop the entries and answer, whatever this CPU is doing.</summary>
    private void ServeShootdown(long time, TlbShootdown request)
    {
        var invalidated = 0;
        foreach (var vpn in request.VirtualPages)
        {
            invalidated += _mmu.Invalidate(request.AddressSpace, vpn) ? 1 : 0;
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
