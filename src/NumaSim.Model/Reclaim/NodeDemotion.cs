using NumaSim.Model.PageAlloc;
using NumaSim.Model.Tiering;

namespace NumaSim.Model.Reclaim;

/// <summary>
/// Where reclaim on one node demotes with /sys/kernel/mm/numa/demotion_enabled on (mm/memory-tiers.c's
/// node_demotion[node]): the preferred targets, the nearest nodes of the next slower tier, and the allowed ones,
/// every node of a slower tier; and how demote_folio_list asks for the page there (alloc_demote_folio).
/// </summary>
public sealed class NodeDemotion
{
    /// <summary>
    /// demote_folio_list's gfp: GFP_HIGHUSER_MOVABLE without reclaim, __GFP_NOWARN, __GFP_NOMEMALLOC and GFP_NOWAIT
    /// (kswapd of the target may be woken; nothing waits).
    /// </summary>
    public const Gfp DemoteGfp = (Gfp.HighUserMovable & ~Gfp.Reclaim) | Gfp.NoWarn | Gfp.NoMemalloc | Gfp.KswapdReclaim;

    private int _next;

    public NodeDemotion(IReadOnlyList<int> preferred, IReadOnlyList<int> allowed)
    {
        if (preferred.Count == 0)
        {
            throw new ArgumentException("a node with nowhere to demote has no demotion path", nameof(preferred));
        }
        Preferred = preferred;
        Allowed = allowed;
    }

    public IReadOnlyList<int> Preferred { get; }

    public IReadOnlyList<int> Allowed { get; }

    /// <summary>can_demote for <paramref name="node"/>: its path when demotion is enabled and a slower tier exists, else null.</summary>
    public static NodeDemotion? For(MemoryTiers tiers, int node, bool demotionEnabled)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        var preferred = tiers.PreferredDemotionTargets(node);
        return demotionEnabled && preferred.Count > 0 ? new NodeDemotion(preferred, tiers.AllowedDemotionTargets(node)) : null;
    }

    /// <summary>
    /// next_demotion_node: the kernel draws one of the preferred targets at random (node_random); the model takes
    /// them in turn, which spreads the same way and keeps a run deterministic.
    /// </summary>
    public int NextDemotionNode()
    {
        var target = Preferred[_next % Preferred.Count];
        _next++;
        return target;
    }

    /// <summary>
    /// alloc_demote_folio's two tries for a folio of <paramref name="order"/>: the target node alone (__GFP_THISNODE,
    /// no mask), then the target's zonelist over the allowed nodes.
    /// </summary>
    public IReadOnlyList<AllocationRequest> Requests(int target, int order)
    {
        // alloc_migration_target: a large folio's target is asked as a THP is (__GFP_RECLAIM cleared, GFP_TRANSHUGE).
        var gfp = order > 0 ? (DemoteGfp & ~Gfp.Reclaim) | Gfp.TransHuge : DemoteGfp;
        return
        [
            new AllocationRequest(order, gfp | Gfp.ThisNode, MemPolicy.Default) { Nid = target },
            new AllocationRequest(order, gfp, new MemPolicy(MemPolicyMode.Bind, Allowed)) { Nid = target },
        ];
    }
}
