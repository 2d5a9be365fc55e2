namespace NumaSim.Model.Reclaim;

/// <summary>
/// try_to_free_pages / do_try_to_free_pages (mm/vmscan.c): an allocating task reclaims SWAP_CLUSTER_MAX pages
/// itself, visiting the nodes of its zonelist in order at rising priority until it has them.
/// </summary>
public static class DirectReclaim
{
    /// <param name="zonelistNodes">The nodes of the allocation's zonelist, in order.</param>
    /// <param name="order">The allocation's order.</param>
    /// <param name="reclaimIdx">The highest zone index the allocation may use.</param>
    /// <param name="mayIo">__GFP_IO.</param>
    /// <param name="nrToReclaim">What is left to reclaim: SWAP_CLUSTER_MAX, less what nodes visited before got.</param>
    public static long TryToFreePages(IReadOnlyList<ReclaimNode> zonelistNodes, int order, int reclaimIdx, bool mayIo, long nrToReclaim = ScanControl.SwapClusterMax)
    {
        var sc = new ScanControl
        {
            Reclaimer = Reclaimer.Direct,
            NrToReclaim = nrToReclaim,
            ReclaimIdx = reclaimIdx,
            Order = order,
            MayIo = mayIo,
        };
        do
        {
            sc.NrScanned = 0;
            foreach (var node in zonelistNodes)
            {
                node.ShrinkNode(sc);
            }
            if (sc.NrReclaimed >= sc.NrToReclaim)
            {
                break;
            }
        }
        while (--sc.Priority >= 0);
        return sc.NrReclaimed;
    }
}
