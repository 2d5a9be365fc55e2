using NumaSim.Model.Lru;

namespace NumaSim.Model.Reclaim;

/// <summary>node_reclaim's answer (NODE_RECLAIM_*): whether the allocator should look at the zone again.</summary>
public enum NodeReclaimResult
{
    /// <summary>Nothing worth reclaiming on the node (NODE_RECLAIM_FULL).</summary>
    Full = -1,

    /// <summary>Not tried: the caller may not block, or the node is someone else's (NODE_RECLAIM_NOSCAN).</summary>
    NoScan = -2,

    /// <summary>Tried, freed less than asked (NODE_RECLAIM_SOME).</summary>
    Some = 0,

    /// <summary>Freed what was asked (NODE_RECLAIM_SUCCESS).</summary>
    Success = 1,
}

/// <summary>
/// node_reclaim (mm/vmscan.c) under vm.zone_reclaim_mode: before an allocation leaves a node that fell below its
/// watermark, reclaim a little of that node's page cache. Under the multi-gen LRU a mode without both
/// RECLAIM_WRITE and RECLAIM_UNMAP reclaims nothing (lru_gen_shrink_node returns at once), so the default mode 1
/// only counts zone_reclaim_failed and the allocation moves on to the next node.
/// </summary>
public static class NodeReclaim
{
    /// <summary>RECLAIM_ZONE, RECLAIM_WRITE, RECLAIM_UNMAP.</summary>
    public const int ReclaimZone = 1, ReclaimWrite = 2, ReclaimUnmap = 4;

    /// <summary>node_reclaim_distance (RECLAIM_DISTANCE): farther nodes are never reclaimed for an allocation.</summary>
    public const int Distance = 30;

    /// <summary>NODE_RECLAIM_PRIORITY.</summary>
    public const int Priority = 4;

    /// <summary>vm.min_unmapped_ratio, percent of the node's managed pages.</summary>
    public const int MinUnmappedRatio = 1;

    public static NodeReclaimResult Run(ReclaimNode node, int mode, int order, int reclaimIdx, bool mayBlock, bool nodeHasCpus, int allocatingCpuNode)
    {
        var managed = node.Zones.Sum(z => z.Spec.Managed);
        var minUnmapped = managed * MinUnmappedRatio / 100;
        // node_pagecache_reclaimable: the node's unmapped file pages (no mapped or dirty file pages are modelled).
        var reclaimable = node.Lruvec.Size(LruList.InactiveFile) + node.Lruvec.Size(LruList.ActiveFile);
        if (reclaimable <= minUnmapped)
        {
            return NodeReclaimResult.Full;
        }
        if (!mayBlock || nodeHasCpus && node.Node != allocatingCpuNode)
        {
            return NodeReclaimResult.NoScan;
        }
        var target = Math.Max(1L << order, ScanControl.SwapClusterMax);
        var sc = new ScanControl
        {
            Reclaimer = Reclaimer.NodeReclaim,
            NrToReclaim = target,
            ReclaimIdx = reclaimIdx,
            Order = order,
            Priority = Priority,
            MayWritepage = (mode & ReclaimWrite) != 0,
            MayUnmap = (mode & ReclaimUnmap) != 0,
        };
        do
        {
            node.ShrinkNode(sc);
        }
        while (sc.NrReclaimed < target && --sc.Priority >= 0);
        var success = sc.NrReclaimed >= target;
        node.Stat.CountNodeReclaim(success);
        return success ? NodeReclaimResult.Success : NodeReclaimResult.Some;
    }
}
