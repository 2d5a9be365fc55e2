using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Migrate;

/// <summary>
/// alloc_migration_target (mm/migrate.c) for the migrate_pages(2) and move_pages(2) callers: their
/// migration_target_control asks GFP_HIGHUSER_MOVABLE | __GFP_THISNODE of the target node (so the allocation may
/// reclaim there but never falls back to another node), and a large folio is asked for whole with GFP_TRANSHUGE.
/// </summary>
public static class MigrationTarget
{
    /// <summary>migrate_to_node's and do_move_pages_to_node's gfp.</summary>
    public const Gfp SyscallGfp = Gfp.HighUserMovable | Gfp.ThisNode;

    public static AllocationRequest Destination(int order, int node) =>
        new(order, order > 0 ? SyscallGfp | Gfp.TransHuge : SyscallGfp, new MemPolicy(MemPolicyMode.Preferred, [node]));

    /// <summary>
    /// alloc_migration_target_by_mpol (mm/mempolicy.c), mbind's: the page is allocated as a fault under
    /// <paramref name="policy"/> would be, from the CPU's node with the policy's mask (no __GFP_THISNODE), an
    /// interleave by <paramref name="interleaveIndex"/>; a small page may reclaim and retry but never calls the OOM
    /// killer (__GFP_RETRY_MAYFAIL), a large folio is asked for whole with GFP_TRANSHUGE.
    /// </summary>
    public static AllocationRequest ByPolicy(int order, MemPolicy policy, long interleaveIndex) =>
        new(order, order > 0 ? Gfp.TransHuge : Gfp.HighUserMovable | Gfp.RetryMayfail | Gfp.Comp, policy)
        {
            InterleaveIndex = policy.Interleaves ? interleaveIndex : null,
        };
}
