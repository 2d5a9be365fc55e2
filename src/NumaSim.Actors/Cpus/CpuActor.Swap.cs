using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.Topology;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// Swap on the CPU side: a fault on a swap entry asks the swap area's owner (do_swap_page's swap half) and waits;
/// reclaim's try_to_unmap of a folio this CPU's task maps is served at once, as an interrupt is (the entry becomes
/// the swap entry, the TLBs drop it), and answered to the owner; a request for a task that moved on follows it.
/// </summary>
public sealed partial class CpuActor
{
    // Where tasks that left this CPU went, so that reclaim's requests for their page tables can follow them.
    private readonly Dictionary<int, int> _departed = [];
    private Action<SwapInReply>? _resumeSwap;

    private long SwapTrip => ServiceTrip(ComponentIds.NodeOfService(ComponentIds.Swap, Topology));

    private void AskSwapIn(SimTask task)
    {
        var ask = _mmu.SwapIn;
        AskService(ComponentIds.Swap, _now + SwapTrip,
            new SwapInAsk(CpuId, task.Id, _mmu.Vpn, ask.Slot, ask.Pfn, ask.Zone, ask.Write, ComponentId),
            _resumeSwap ??= reply => Drive(_mmu.ResumeSwap(_now, reply.Pfn, reply.Zone)));
    }

    private void ServeUnmap(long time, UnmapRequest request)
    {
        if (!_tasks.TryGetValue(request.TaskId, out var task) || task.Mm is null)
        {
            if (!FollowTask(time, request.TaskId, request))
            {
                AnswerUnmap(time, request, false);
            }
            return;
        }
        var (unmapped, flush) = _mmu.TryToUnmap(task, request.Vpn, request.Pfn, request.Slot);
        // try_to_unmap_flush: the other CPUs that may cache the entry drop it; their acknowledgements go to the
        // swap area's owner, which frees the page only on a later scan.
        FlushOthers(time, flush, task.Mm.Id, request.Vpn, ComponentIds.Swap);
        AnswerUnmap(time, request, unmapped);
    }

    // Reclaim splits a huge folio of this CPU's task for swap: the huge entry gives way to its PTE table here, the zone
    // splits the block (before any of its pages can come back freed: they are swapped out through this CPU first),
    // and the kswapd learns the outcome.
    private void ServeSplit(long time, SplitHugeRequest request)
    {
        var mm = _tasks.TryGetValue(request.TaskId, out var task) ? task.Mm : null;
        if (mm is null && FollowTask(time, request.TaskId, request))
        {
            return;
        }
        var (split, flush) = mm is null ? (false, []) : _mmu.SplitHugePage(task!, request.Vpn, request.Pfn);
        if (split)
        {
            FlushOthers(time, flush, mm!.Id, request.Vpn, ComponentIds.Kswapd(request.SourceNode));
            var zone = Topology.ZoneOfPfn(request.Pfn);
            Outbox.Send(ComponentIds.Zone(zone), time + Latency.ZoneMessage(Topology.DistanceBetween(NodeId, ZoneIndex.Node(zone))), NotBefore,
                new ZoneSplitPage(request.Pfn, mm.Mode.HugeOrder));
        }
        Outbox.Send(ComponentIds.Kswapd(request.SourceNode), time + ServiceTrip(request.SourceNode), NotBefore, new SplitHugeDone(request.Pfn, split));
    }

    // A request about a task that left this CPU follows it (reclaim asked the CPU it knew); false if it never ran here.
    private bool FollowTask(long time, int taskId, ISimPayload request)
    {
        if (!_departed.TryGetValue(taskId, out var next))
        {
            return false;
        }
        var distance = Topology.DistanceBetween(NodeId, Topology.NodeOfCpu(next));
        Outbox.Send(ComponentIds.Cpu(next), time + Latency.Ipi(distance), NotBefore, request);
        return true;
    }

    // The other CPUs that may cache the entry drop it (an IPI each), acknowledging to whoever asked for the change.
    private void FlushOthers(long time, IReadOnlyList<int> cpus, int mm, long vpn, int ackTo)
    {
        foreach (var cpu in cpus)
        {
            var distance = Topology.DistanceBetween(NodeId, Topology.NodeOfCpu(cpu));
            Outbox.Send(ComponentIds.Cpu(cpu), time + Latency.Ipi(distance), NotBefore, new TlbShootdown(CpuId, mm, [vpn], ackTo));
        }
    }

    private void AnswerUnmap(long time, UnmapRequest request, bool unmapped) =>
        Outbox.Send(ComponentIds.Swap, time + SwapTrip, NotBefore,
            new UnmapDone(request.TaskId, request.Vpn, request.Pfn, request.Slot, request.Node, CpuId, unmapped));
}
