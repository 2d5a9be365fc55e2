using NumaSim.Actors.Messages;
using NumaSim.Telemetry.Tracing;

namespace NumaSim.Actors.Engine;

/// <summary>TLB-flush IPIs: one to each CPU named, and a wait in simulated time for every acknowledgement.</summary>
public abstract partial class CpuSideActor
{
    private int _acksAwaited;
    private Action? _ackContinuation;

    /// <summary>
    /// Asks each CPU to drop these pages of the address space; <paramref name="then"/> runs, with the time the IPIs
    /// went out, when all have answered. The CPU this actor runs on may be among them (on_each_cpu): its flush is
    /// not an interrupt and is not counted as one.
    /// </summary>
    protected void SendIpis(IReadOnlyCollection<int> cpus, int addressSpace, long[] vpns, Action<long> then)
    {
        ArgumentNullException.ThrowIfNull(cpus);
        if (cpus.Count == 0)
        {
            then(Now);
            return;
        }
        var span = Spans.StartShootdown(cpus, Epoch, Now);
        var traceparent = SimSpans.Traceparent(span);
        foreach (var cpu in cpus)
        {
            var distance = Topology.DistanceBetween(NodeId, Topology.NodeOfCpu(cpu));
            Outbox.Send(ComponentIds.Cpu(cpu), Now + Latency.Ipi(distance), NotBefore, new TlbShootdown(CpuId, addressSpace, vpns, ComponentId) { Traceparent = traceparent });
            _acksAwaited++;
            if (cpu != CpuId)
            {
                IpisSent++;
            }
        }
        _blockEpisode++;
        var sent = Now;
        _ackContinuation = () =>
        {
            if (span is not null)
            {
                SimSpans.End(span, Epoch, sent, Now);
            }
            then(sent);
        };
    }
}
