using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.Lru;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Reclaim;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Actors.Reclaim;

/// <summary>
/// Demotion as messages (demote_folio_list): a folio reclaim would otherwise free or swap is taken off the list and
/// counted reclaimed for the pass at once (the node's free count as this actor sees it includes it, as a swap-out's
/// does); alloc_demote_folio's page is asked of the target zone (the target node's zones, then the allowed nodes',
/// as the zones looked a window ago less what this node asked since: a folio no zone has room for goes through
/// reclaim again without demotion); the CPU running the task that maps the folio migrates it into the page
/// (FaultHandler.Demote, an interrupt there), and on its answer the old page is freed to its zone and counted in
/// pgdemote_kswapd or pgdemote_direct. A folio whose page did not come, or whose mapping changed meanwhile, goes back
/// on the list. A page-cache folio (no page table maps it) is copied by a CPU of this node, the one reclaim runs on,
/// and the page cache points its slot at the copy (DemoteFile, PageCacheMigrate). A huge folio moves whole, into a
/// block of its order on the target (thp_migration_supported). One in the swap cache stays.
/// </summary>
public sealed partial class KswapdActor
{
    private readonly Dictionary<long, Demoting> _demoting = [];
    private readonly List<(long Pfn, int Zone, int Order)> _demoteAsks = [];
    private readonly Dictionary<int, Queue<(int Order, long[] Pfns)>> _asked = [];
    private readonly Dictionary<int, long> _lastAsk = [];
    private readonly SortedSet<int> _demoteWakes = [];
    private readonly long[] _promised;
    private readonly PageAllocatorSetup _setup;
    private Reclaimer _reclaimer;

    /// <summary>A folio on its way to the target: an anonymous one's rmap (null for a page-cache folio, a base page) and its zone.</summary>
    private sealed record Demoting(AnonFolio? Folio, int Zone, Reclaimer Reclaimer)
    {
        public int Order => Folio?.Order ?? 0;

        public long Pages => 1L << Order;
    }

    private bool HandleDemotion(long time, ISimPayload payload)
    {
        switch (payload)
        {
            case ZoneAllocReply reply when _asked.ContainsKey(reply.Zone):
                DemotePagesCame(time, reply);
                return true;
            case DemoteDone done:
                Demoted(time, done);
                return true;
            case TlbShootdownAck:
                // The remap's flush: nothing waits for it (try_to_unmap_flush's IPIs are not waited for here).
                return true;
            default:
                return false;
        }
    }

    /// <summary>The CPU this node's reclaim runs on, as the allocations it makes count: the node's first (CPU 0 for a memory-only node).</summary>
    private int ReclaimCpu => _topology.Nodes[_node].Cpus.Count > 0 ? _topology.Nodes[_node].Cpus[0] : 0;

    private long QueueDemotion(long pfn, IReadOnlyList<AllocationRequest> targets)
    {
        // A folio this kswapd has no rmap of is a page-cache folio (reclaim offers no other kind here).
        var anon = _anon.TryGetValue(pfn, out var folio);
        if (_demoting.ContainsKey(pfn) || (anon && (folio!.Phase != AnonPhase.Mapped || folio.Slot > 0)))
        {
            return IReclaimHost.MigrationBusy;
        }
        var demoting = new Demoting(anon ? folio : null, anon ? folio!.Zone : ZoneOf(pfn), _reclaimer);
        var zone = TargetZone(targets, demoting.Order);
        if (zone < 0)
        {
            return -1;
        }
        _demoting[pfn] = demoting;
        _promised[zone] += demoting.Pages;
        if (anon)
        {
            folio!.Phase = AnonPhase.Demoting;
        }
        _demoteAsks.Add((pfn, zone, demoting.Order));
        _freedSent[demoting.Zone] += demoting.Pages;
        _freedThisWork![demoting.Zone] += demoting.Pages;
        _migrateNs += _latency.MigrateCopyNs * demoting.Pages * _topology.DistanceBetween(_node, ZoneIndex.Node(zone)) / MachineTopology.LocalDistance;
        return IReclaimHost.MigrationQueued;
    }

    // The target node alone (__GFP_THISNODE), then the allowed nodes in the target's zonelist order (the kernel's
    // second try: preferred nid the target, nodemask the allowed ones): the first zone above its min watermark
    // (GFP_NOWAIT's slow path) by what this node has asked of it since the view. A try whose zones are all below their
    // low watermark fails the fast path, and GFP_NOWAIT's __GFP_KSWAPD_RECLAIM then wakes their nodes' kswapds
    // (wake_all_kswapds): alloc_demote_folio wants the target to reclaim or demote further rather than fill up.
    private int TargetZone(IReadOnlyList<AllocationRequest> targets, int order)
    {
        foreach (var request in targets)
        {
            var target = request.Nid ?? _node;
            var allowed = request.Policy.Mode == MemPolicyMode.Bind ? request.Policy.Nodes : null;
            var zones = _setup.Zonelists.Zones(target, thisNodeOnly: allowed is null);
            if (!AnyWithRoom(zones, allowed, order, WatermarkKind.Low))
            {
                foreach (var zone in zones)
                {
                    if (Allowed(allowed, zone))
                    {
                        _demoteWakes.Add(ZoneIndex.Node(zone));
                    }
                }
            }
            foreach (var zone in zones)
            {
                if (Allowed(allowed, zone) && HasRoom(_setup.Zone(zone), order, WatermarkKind.Min))
                {
                    return zone;
                }
            }
        }
        return -1;
    }

    private static bool Allowed(IReadOnlyList<int>? allowed, int zone) => allowed is null || allowed.Contains(ZoneIndex.Node(zone));

    private bool AnyWithRoom(IReadOnlyList<int> zones, IReadOnlyList<int>? allowed, int order, WatermarkKind mark)
    {
        foreach (var zone in zones)
        {
            if (Allowed(allowed, zone) && HasRoom(_setup.Zone(zone), order, mark))
            {
                return true;
            }
        }
        return false;
    }

    private bool HasRoom(ZoneSetup zone, int order, WatermarkKind mark)
    {
        var view = Views[zone.Index];
        var type = (int)zone.Spec.Type;
        return WatermarkCheck.Ok(view with { FreePages = view.FreePages - _promised[zone.Index] }, order,
            WatermarkCheck.Mark(zone, view, mark), zone.LowmemReserve, type, mark == WatermarkKind.Min ? AllocFlags.WmarkMin : AllocFlags.WmarkLow);
    }

    /// <summary>
    /// The pages the pass queued for demotion are asked of their target zones, one request per zone and order; the
    /// targets' kswapds the asks found below their low watermark are woken, once each for what the pass asked.
    /// </summary>
    private void FlushDemotions(long time)
    {
        foreach (var node in _demoteWakes.Order())
        {
            if (node != _node)
            {
                Outbox.Send(ComponentIds.Kswapd(node), time + _latency.ZoneMessage(_topology.DistanceBetween(_node, node)), NotBefore,
                    new KswapdWake(0, (int)ZoneType.Movable));
            }
        }
        _demoteWakes.Clear();
        if (_demoteAsks.Count == 0)
        {
            return;
        }
        foreach (var group in _demoteAsks.GroupBy(a => (a.Zone, a.Order)))
        {
            AskTarget(time, group.Key.Zone, group.Key.Order, [.. group.Select(a => a.Pfn)]);
        }
        _demoteAsks.Clear();
    }

    private void AskTarget(long time, int zone, int order, long[] pfns)
    {
        if (!_asked.TryGetValue(zone, out var asked))
        {
            _asked[zone] = asked = new Queue<(int, long[])>();
        }
        asked.Enqueue((order, pfns));
        var cpu = ReclaimCpu;
        var request = new ZoneRequest(zone, order, MigrateType.Movable, pfns.Length, AllocFlags.WmarkMin, (int)ZoneIndex.Type(zone));
        var distance = _topology.DistanceBetween(_node, ZoneIndex.Node(zone));
        // The answers are matched to the asks in order, so each ask arrives after the last: a direct reclaimer's pass
        // may send at a time before the end of a kswapd run handled earlier.
        var arrival = Math.Max(time + _latency.ZoneMessage(distance), _lastAsk.GetValueOrDefault(zone, long.MinValue) + 1);
        _lastAsk[zone] = arrival;
        Outbox.Send(ComponentIds.Zone(zone), arrival, NotBefore, new ZoneAllocRequest(cpu, request, ComponentId));
    }

    // The target zone's pages: each goes with its folio to the CPU that maps it (a page-cache folio's to the CPU this
    // kswapd runs on). A bulk answer may be short of what was asked (one free list's worth): the rest is asked again; a
    // zone that gave nothing is at its watermark, and the folios left without a page stay (-ENOMEM).
    private void DemotePagesCame(long time, ZoneAllocReply reply)
    {
        var (order, asked) = _asked[reply.Zone].Dequeue();
        if (reply.Pfns.Length > 0 && reply.Pfns.Length < asked.Length)
        {
            AskTarget(time, reply.Zone, order, asked[reply.Pfns.Length..]);
            asked = asked[..reply.Pfns.Length];
        }
        _promised[reply.Zone] -= (long)asked.Length << order;
        for (var i = 0; i < asked.Length; i++)
        {
            var pfn = asked[i];
            if (i >= reply.Pfns.Length)
            {
                // A huge folio is not split to move its pages one by one (migrate_pages_batch's retry): it stays.
                _reclaim.Stat.Events.Count(VmEventItem.PgmigrateFail, 1L << order);
                if (order > 0)
                {
                    _reclaim.Stat.Events.Count(VmEventItem.ThpMigrationFail);
                }
                NotDemoted(pfn);
                continue;
            }
            if (_demoting[pfn].Folio is not { } folio)
            {
                var cpu = ReclaimCpu;
                Outbox.Send(ComponentIds.Cpu(cpu), time + _latency.Ipi(_topology.DistanceBetween(_node, _topology.NodeOfCpu(cpu))), NotBefore,
                    new DemoteFile(_node, pfn, reply.Pfns[i], reply.Zone));
                continue;
            }
            var distance = _topology.DistanceBetween(_node, _topology.NodeOfCpu(folio.Cpu));
            Outbox.Send(ComponentIds.Cpu(folio.Cpu), time + _latency.Ipi(distance), NotBefore,
                new DemoteRemap(_node, folio.Task, folio.Vpn, pfn, reply.Pfns[i], reply.Zone, order));
        }
    }

    // The CPU's answer: a migrated folio's old page goes back to its zone (counted freed when it was queued).
    private void Demoted(long time, DemoteDone done)
    {
        if (!done.Migrated)
        {
            NotDemoted(done.Pfn);
            return;
        }
        if (!_demoting.Remove(done.Pfn, out var demoting))
        {
            return;
        }
        _lruvec.DemotionDone(demoting.Reclaimer, demoting.Pages);
        if (demoting.Folio is not null && _anon.TryGetValue(done.Pfn, out var folio) && folio == demoting.Folio)
        {
            _anon.Remove(done.Pfn);
        }
        _reclaim.Stat.Events.CountFree(demoting.Order);
        Outbox.Send(ComponentIds.Zone(demoting.Zone), time + _latency.ZoneMessageNs, NotBefore, new ReclaimedPages([done.Pfn]) { Order = demoting.Order });
    }

    // putback_movable_pages: the folio is not freed after all; back on the list if it is still this node's mapped folio.
    private void NotDemoted(long pfn)
    {
        if (!_demoting.Remove(pfn, out var demoting))
        {
            return;
        }
        _freedSent[demoting.Zone] -= demoting.Pages;
        if (demoting.Folio is not { } folio)
        {
            _lruvec.Add(pfn, (int)ZoneIndex.Type(demoting.Zone), LruType.File, 0, LruAdd.Cold);
            return;
        }
        if (_anon.TryGetValue(pfn, out var current) && current == folio && folio.Phase == AnonPhase.Demoting)
        {
            folio.Phase = AnonPhase.Mapped;
            _lruvec.Add(pfn, (int)ZoneIndex.Type(folio.Zone), LruType.Anon, folio.Order, LruAdd.Fault);
        }
    }
}
