namespace NumaSim.Model.PageAlloc;

/// <summary>
/// The placement of the two newer memory policies (mm/mempolicy.c, 6.12): MPOL_WEIGHTED_INTERLEAVE picks its node by
/// the per-node weights (weighted_interleave_nid for a mapping's page, weighted_interleave_nodes for the task's own
/// allocations), MPOL_PREFERRED_MANY tries its nodes first without direct reclaim and then every node with the
/// caller's gfp (alloc_pages_preferred_many).
/// </summary>
public sealed partial class CpuPageAllocator
{
    // alloc_pages_preferred_many's second request (the caller's own), kept while the first one runs.
    private AllocationRequest? _preferredManyAll;

    // weighted_interleave_nodes' current->il_weight: pages still due to _interleavePrev.
    private int _interleaveWeight;

    private AllocationRequest BeginPreferredMany(AllocationRequest request)
    {
        if (request.Policy.Mode != MemPolicyMode.PreferredMany)
        {
            _preferredManyAll = null;
            return request;
        }
        _preferredManyAll = request;
        return request with { Gfp = (request.Gfp | Gfp.NoWarn) & ~(Gfp.DirectReclaim | Gfp.NoFail) };
    }

    // The preferred nodes gave nothing at the min watermark (kswapd was woken for them, no direct reclaim): the
    // allocation starts over on every node with the caller's gfp, its preferred zone now the local one.
    private AllocationStep PreferredManyFallback(Func<int, ZoneFreeView> view)
    {
        var all = _preferredManyAll!;
        _preferredManyAll = null;
        _request = all;
        _pass = 0;
        _position = 0;
        BeginSlowpath();
        BuildCandidates(all);
        return Advance(view);
    }

    // weighted_interleave_nid: the index modulo the nodes' total weight, walked through the nodes in order.
    private int WeightedInterleaveNid(IReadOnlyList<int> nodes, long index)
    {
        var total = 0L;
        foreach (var node in nodes)
        {
            total += _setup.InterleaveWeight(node);
        }
        var target = index % total;
        foreach (var node in nodes)
        {
            var weight = _setup.InterleaveWeight(node);
            if (target < weight)
            {
                return node;
            }
            target -= weight;
        }
        return nodes[^1];
    }

    // weighted_interleave_nodes: the previous node again until its weight is used up, then the next one.
    private int WeightedInterleaveNodes(IReadOnlyList<int> nodes)
    {
        if (_interleaveWeight == 0 || !nodes.Contains(_interleavePrev))
        {
            _interleavePrev = NextNodeIn(nodes, _interleavePrev);
            _interleaveWeight = _setup.InterleaveWeight(_interleavePrev);
        }
        _interleaveWeight--;
        return _interleavePrev;
    }
}
