namespace NumaSim.Model.Reclaim;

/// <summary>
/// try_to_free_pages / do_try_to_free_pages (mm/vmscan.c): an allocating task reclaims SWAP_CLUSTER_MAX pages
/// itself, visiting the nodes of its zonelist in order at rising priority until it has them.
/// </summary>
public static class DirectReclaim
{
    public static long TryToFreePages(IReadOnlyList<ReclaimNode> zonelistNodes, int order, int reclaimIdx, bool mayIo)
    {
        var sc = new ScanControl
        {
            Reclaimer = Reclaimer.Direct,
            NrToReclaim = ScanControl.SwapClusterMax,
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
