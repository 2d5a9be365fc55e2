using NumaSim.Model.Reclaim;
using NumaSim.Model.Stats;

namespace NumaSim.Model.Lru;

/// <summary>
/// Demotion in shrink_folio_list (mm/vmscan.c, 6.12): with a demotion path (demotion_enabled and a slower memory
/// tier), a folio that reclaim would free or swap is queued for demotion instead (do_demote_pass); demote_folio_list
/// migrates the queue to next_demotion_node (migrate_pages, MR_DEMOTION, MIGRATE_ASYNC), counts pgdemote_kswapd or
/// pgdemote_direct on this node and pgmigrate_success, and a demoted folio counts as reclaimed. What could not be
/// moved (no page on the target: the batch stops at the first -ENOMEM) goes through reclaim again without the
/// demotion pass, as the kernel's `goto retry` does: without swap an anonymous folio is then kept. A host that
/// migrates on its own time (the actors) takes the folio (<see cref="IReclaimHost.MigrationQueued"/>): it is
/// reclaimed for the pass at once and counted demoted when the host says it arrived (<see cref="DemotionDone"/>).
/// </summary>
public sealed partial class Lruvec
{
    private readonly List<long> _demote = [];
    private readonly long[] _demoted = new long[2];

    /// <summary>node_demotion[node] while demotion_enabled is on; null: reclaim frees or swaps.</summary>
    public NodeDemotion? Demotion { get; set; }

    /// <summary>
    /// pgdemote_kswapd or pgdemote_direct of this node (node_reclaim's passes count as direct: not kswapd);
    /// pgdemote_khugepaged stays 0, khugepaged not being modelled.
    /// </summary>
    public long Demoted(Reclaimer reclaimer) => _demoted[reclaimer == Reclaimer.Kswapd ? 0 : 1];

    // The demotion pass takes every folio that got this far except a mapped file folio, which the model keeps as in
    // use before (folio_check_references' verdict, the young bit not being modelled).
    private bool QueueDemotion(long pfn, bool demotePass, ScanControl sc, IReclaimHost host)
    {
        if (!demotePass)
        {
            return false;
        }
        if (FolioLruState.Type(_table.State(pfn)) == LruType.File && (!sc.MayUnmap || host.IsMapped(pfn)))
        {
            return false;
        }
        _demote.Add(pfn);
        return true;
    }

    // demote_folio_list, then the retry of what stayed.
    private long DemoteFolioList(ScanControl sc, IReclaimHost host, ReclaimStat stat)
    {
        if (_demote.Count == 0)
        {
            return 0;
        }
        var target = Demotion!.NextDemotionNode();
        var demoted = 0L;
        var queued = 0L;
        List<long>? busy = null;
        var moved = 0;
        for (; moved < _demote.Count; moved++)
        {
            var pfn = _demote[moved];
            var pages = 1L << OrderOf(pfn);
            var to = host.MigrateFolio(pfn, Demotion.Requests(target, OrderOf(pfn)));
            if (to == IReclaimHost.MigrationBusy)
            {
                (busy ??= []).Add(pfn);
                continue;
            }
            if (to < 0 && to != IReclaimHost.MigrationQueued)
            {
                stat.Events.Count(VmEventItem.PgmigrateFail, pages);
                break;
            }
            _evictionTier.Remove(pfn);
            _largeOrders.Remove(pfn);
            _table.SetState(pfn, 0);
            if (to == IReclaimHost.MigrationQueued)
            {
                queued += pages;
            }
            else
            {
                demoted += pages;
            }
        }
        stat.Events.Count(VmEventItem.PgmigrateSuccess, demoted);
        _demoted[sc.Reclaimer == Reclaimer.Kswapd ? 0 : 1] += demoted;
        var reclaimed = demoted + queued;
        foreach (var pfn in busy ?? [])
        {
            reclaimed += ShrinkFolio(pfn, sc, host, stat);
        }
        for (var i = moved; i < _demote.Count; i++)
        {
            reclaimed += ShrinkFolio(_demote[i], sc, host, stat);
        }
        _demote.Clear();
        return reclaimed;
    }

    /// <summary>
    /// A folio the host took (<see cref="IReclaimHost.MigrationQueued"/>) reached its target: pgdemote_kswapd or
    /// pgdemote_direct of this node, counted as demote_folio_list counts its nr_succeeded.
    /// </summary>
    public void DemotionDone(Reclaimer reclaimer, long pages) => _demoted[reclaimer == Reclaimer.Kswapd ? 0 : 1] += pages;

    private void AddDemotionStats(NodeStatDeltas deltas)
    {
        deltas.Add(Node, NodeStatItem.PgdemoteKswapd, _demoted[0]);
        deltas.Add(Node, NodeStatItem.PgdemoteDirect, _demoted[1]);
    }
}
