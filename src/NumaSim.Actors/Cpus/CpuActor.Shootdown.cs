using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Observation;
using NumaSim.Model.Mmu;
using NumaSim.Telemetry.Tracing;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// TLB shootdown's IPIs (flush_tlb_mm_range): the fault handler has flushed this CPU and named the others that may
/// cache the entries; each gets an IPI, and the CPU waits in simulated time for all acknowledgements.
/// </summary>
public sealed partial class CpuActor
{
    private long _shootdowns;

    private void Shootdown(ShootdownRequest flush, Action then)
    {
        _shootdowns++;
        SendIpis(flush.Targets, flush.AddressSpace, flush.Vpns, sent =>
        {
            _recorder.Record("shootdown", _now - sent);
            then();
        });
    }

    /// <summary>An IPI: drop the entries and answer, whatever this CPU is doing.</summary>
    private void ServeShootdown(long time, TlbShootdown request)
    {
        var invalidated = 0;
        foreach (var vpn in request.VirtualPages)
        {
            invalidated += _mmu.Invalidate(request.AddressSpace, vpn) ? 1 : 0;
        }
        var initiatorNode = Topology.NodeOfCpu(request.InitiatorCpu);
        var distance = Topology.DistanceBetween(NodeId, initiatorNode);
        if (Observed)
        {
            Observe(new IpiReceived(time, CpuId, request.InitiatorCpu, distance, request.VirtualPages.Length));
        }
        Outbox.Send(request.ReplyTo, time + Latency.Ipi(distance), NotBefore, new TlbShootdownAck(CpuId, request.AddressSpace, invalidated));
        if (request.Traceparent is not null)
        {
            TraceIpi(request, time, time + Latency.Ipi(distance), initiatorNode);
        }
    }
}
