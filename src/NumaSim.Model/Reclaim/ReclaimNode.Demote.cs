namespace NumaSim.Model.Reclaim;

/// <summary>can_demote (mm/vmscan.c): whether reclaim on this node may demote rather than free or swap.</summary>
public sealed partial class ReclaimNode
{
    /// <summary>
    /// demotion_enabled is on and the node has a slower tier to demote to (its lruvec has a demotion path): reclaim
    /// then scans anonymous pages even without swap (get_swappiness, can_reclaim_anon_pages).
    /// </summary>
    public bool CanDemote => Lruvec.Demotion is not null;
}
