using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Slab;

/// <summary>
/// The page source of a slab front-end whose page allocations complete later, after a zone has
/// answered a message. An operation that needs a block it does not have yet fails, and the block
/// it asked for is left in <see cref="Pending"/>; the caller obtains the answer, hands it in with
/// <see cref="Answer"/>, and repeats the operation, which asks again and now gets it. The slab
/// model is deterministic, and a failed page allocation changes nothing but its statistics, so
/// the repeated operation asks for the same blocks in the same order. A refusal holds for the
/// rest of the operation, as the kernel does not ask twice either. Blocks the model gives back
/// collect in <see cref="TakeFreed"/>.
/// </summary>
public sealed class DeferredPageSource : IPageSource
{
    private readonly List<(long Pfn, int Order)> _freed = [];
    private readonly List<(PageRequest Request, long Pfn, int Node)> _granted = [];
    private readonly HashSet<PageRequest> _refused = [];

    /// <summary>The first block the last attempt asked for and had no answer for, if any.</summary>
    public PageRequest? Pending { get; private set; }

    /// <summary>Starts an attempt of the current operation: nothing is pending yet.</summary>
    public void BeginAttempt() => Pending = null;

    /// <summary>The outcome of <see cref="Pending"/>: a block (pfn on node) or a refusal (pfn -1).</summary>
    public void Answer(PageRequest request, long pfn, int node)
    {
        if (pfn < 0)
        {
            _refused.Add(request);
        }
        else
        {
            _granted.Add((request, pfn, node));
        }
        Pending = null;
    }

    public bool TryAllocatePages(int node, int order, Gfp gfp, out long pfn, out int servedNode)
    {
        var request = new PageRequest(node, order, gfp);
        var granted = _granted.FindIndex(g => g.Request == request);
        if (granted >= 0)
        {
            (_, pfn, servedNode) = _granted[granted];
            _granted.RemoveAt(granted);
            return true;
        }
        if (!_refused.Contains(request))
        {
            Pending ??= request;
        }
        pfn = -1;
        servedNode = -1;
        return false;
    }

    public void FreePages(long pfn, int order) => _freed.Add((pfn, order));

    /// <summary>
    /// Ends an operation: refusals are forgotten, and a block answered but not asked for again
    /// (the repeated operation took another path) goes back with the freed blocks rather than leak.
    /// </summary>
    public void EndOperation()
    {
        foreach (var (request, pfn, _) in _granted)
        {
            _freed.Add((pfn, request.Order));
        }
        _granted.Clear();
        _refused.Clear();
        Pending = null;
    }

    /// <summary>The blocks given back since the last call.</summary>
    public IReadOnlyList<(long Pfn, int Order)> TakeFreed()
    {
        if (_freed.Count == 0)
        {
            return [];
        }
        var blocks = _freed.ToArray();
        _freed.Clear();
        return blocks;
    }
}

/// <summary>alloc_pages_node(node, gfp, order) as the slab model asked for it; node -1 is NUMA_NO_NODE.</summary>
public readonly record struct PageRequest(int Node, int Order, Gfp Gfp);
