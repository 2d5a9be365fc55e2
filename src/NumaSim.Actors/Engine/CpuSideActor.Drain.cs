using NumaSim.Actors.Messages;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;

namespace NumaSim.Actors.Engine;

/// <summary>
/// drain_all_pages (mm/page_alloc.c) after a direct reclaim that made progress and still found no page: this CPU's
/// lists go back at once, and every other CPU gets the work (an IPI's latency) and drains its own; the allocation
/// waits for them all (flush_work) before it looks at the zones again. The kernel sends the work only to CPUs whose
/// lists hold pages, which it reads from their per-CPU data; a CPU here cannot read another's lists, so each gets the
/// work and one with empty lists answers at once. No vmstat item counts it; zoneinfo's pcp counts show it.
/// </summary>
public abstract partial class CpuSideActor
{
    private int _drainsAwaited;
    private Action? _drainContinuation;

    /// <summary>This CPU's lists back to their zones; returns the pages given back, by zone index.</summary>
    private List<(int Zone, long Pages)> DrainLocal()
    {
        var freed = new List<(int Zone, long Pages)>();
        foreach (var (zone, blocks) in Allocator.DrainAll())
        {
            var distance = Topology.DistanceBetween(NodeId, ZoneIndex.Node(zone));
            Outbox.Send(ComponentIds.Zone(zone), Now + Latency.ZoneMessage(distance), NotBefore, new ZoneFreeBlocks(CpuId, [.. blocks]));
            freed.Add((zone, blocks.Sum(b => 1L << b.Order)));
        }
        return freed;
    }

    /// <summary>The work goes to every other CPU, and the allocation resumes when all have drained.</summary>
    private bool DrainOthers(ref AllocationStep step, Action<AllocationStep> then)
    {
        foreach (var cpu in Topology.AllCpus)
        {
            if (cpu == CpuId)
            {
                continue;
            }
            var distance = Topology.DistanceBetween(NodeId, Topology.NodeOfCpu(cpu));
            Outbox.Send(ComponentIds.Cpu(cpu), Now + Latency.Ipi(distance), NotBefore, new PcpDrainWork(ComponentId));
            _drainsAwaited++;
        }
        if (_drainsAwaited == 0)
        {
            step = Allocator.ResumeAfterDrain(_view, zone => _reclaimable[zone]);
            return true;
        }
        _blockEpisode++;
        _drainContinuation = () => DriveAllocation(Allocator.ResumeAfterDrain(_view, zone => _reclaimable[zone]), then);
        return false;
    }

    /// <summary>drain_local_pages, whatever this CPU is doing (the work preempts it), and the answer.</summary>
    private void ServeDrain(long time, PcpDrainWork work)
    {
        Now = Math.Max(Now, time);
        var freed = new long[_reclaimable.Length];
        foreach (var (zone, pages) in DrainLocal())
        {
            freed[zone] = pages;
        }
        var distance = Topology.DistanceBetween(NodeId, Topology.NodeOfCpu(ComponentIds.CpuOf(work.ReplyTo)));
        Outbox.Send(work.ReplyTo, Now + Latency.Ipi(distance), NotBefore, new PcpDrained(freed));
    }

    private void Drained(PcpDrained drained)
    {
        for (var zone = 0; zone < drained.FreedByZone.Length; zone++)
        {
            Lift(zone, drained.FreedByZone[zone]);
        }
        if (--_drainsAwaited == 0)
        {
            var then = _drainContinuation!;
            _drainContinuation = null;
            then();
        }
    }
}
