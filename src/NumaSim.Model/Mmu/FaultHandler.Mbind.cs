using NumaSim.Model.Migrate;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sched;

namespace NumaSim.Model.Mmu;

/// <summary>
/// mbind(2) over every mapping of the task (do_mbind in mm/mempolicy.c): with MPOL_MF_MOVE, queue_pages_range first
/// queues the present folios of the task's own whose node is not in the policy's nodes (MPOL_MF_INVERT; a policy
/// without nodes, default or local, queues every folio), then mbind_range gives the mappings the policy, and
/// migrate_pages moves the queued folios with alloc_migration_target_by_mpol (<see cref="MigrationTarget.ByPolicy"/>:
/// allocated as a fault under the new policy would be, from the CPU's node, reclaim allowed, an interleave by the
/// page's offset in its mapping; MPOL_DEFAULT's destination is the task's own policy), MR_MEMPOLICY_MBIND. Each page
/// moved is pgmigrate_success; a folio that finds no page ends the call, as -ENOMEM does. Without MPOL_MF_MOVE only
/// the policy changes: the pages stay, later faults follow it.
/// </summary>
public sealed partial class FaultHandler
{
    /// <summary>mbind(<paramref name="policy"/>, MPOL_MF_MOVE when <paramref name="move"/>) over every mapping of the task.</summary>
    public FaultStep Mbind(IMmTask task, MemPolicy policy, bool move, long now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        BeginExplicitMigration(task, ExplicitMigration.Mbind, now);
        var mm = task.Mm!;
        if (move)
        {
            var nodes = policy.Nodes;
            var target = policy.Mode == MemPolicyMode.Default ? task.Policy : policy;
            QueuePages(mm, node => !nodes.Contains(node), (order, vpn) => (TaskNumaBalancing.NoNode, MigrationTarget.ByPolicy(order, target, InterleaveIndex(mm, vpn, order))));
        }
        foreach (var vma in mm.Vmas.ToList())
        {
            mm.Mbind(vma.StartVpn, vma.Pages, policy);
        }
        return NextFolio();
    }

    /// <summary>get_vma_policy's interleave index for the folio at <paramref name="vpn"/>: its offset in its mapping, in folios.</summary>
    private static long InterleaveIndex(AddressSpace mm, long vpn, int order)
    {
        var vma = mm.Find(vpn)!;
        return (vpn - vma.StartVpn) >> order;
    }
}
