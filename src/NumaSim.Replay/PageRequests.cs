using NumaSim.Model.PageAlloc;

namespace NumaSim.Replay;

/// <summary>
/// The <see cref="AllocationRequest"/> for an order, gfp and policy, made once and reused: a trace repeats a
/// handful of (order, gfp_flags) pairs millions of times. Slot 0 is the replay's policy, slot 1 + n prefers
/// node n (alloc_pages_node).
/// </summary>
internal sealed class PageRequests
{
    private readonly MemPolicy[] _policies;
    private readonly Dictionary<(uint Gfp, int Order, int Slot), AllocationRequest> _requests = [];

    public PageRequests(MemPolicy policy, int nodes)
    {
        _policies = new MemPolicy[nodes + 1];
        _policies[0] = policy;
        for (var n = 0; n < nodes; n++)
        {
            _policies[n + 1] = new MemPolicy(MemPolicyMode.Preferred, [n]);
        }
    }

    /// <summary>Under the replay's policy.</summary>
    public AllocationRequest Policy(int order, Gfp gfp) => Get(order, gfp, 0);

    /// <summary>Preferring <paramref name="node"/>, falling back along its zonelist unless __GFP_THISNODE.</summary>
    public AllocationRequest OnNode(int order, Gfp gfp, int node) => Get(order, gfp, node + 1);

    private AllocationRequest Get(int order, Gfp gfp, int slot)
    {
        var key = ((uint)gfp, order, slot);
        if (!_requests.TryGetValue(key, out var request))
        {
            request = new AllocationRequest(order, gfp, _policies[slot]);
            _requests.Add(key, request);
        }
        return request;
    }
}
