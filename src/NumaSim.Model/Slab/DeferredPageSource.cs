using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Slab;

/// <summary>
/// The page source of a slab front-end whose page allocations complete later, after a zone has
/// answered a message. An operation that needs a block it does not have yet fails, and the block
/// it asked for is left in <see cref="Pending"/>; the caller obtains the answer, hands it in with
/// <see cref="Answer"/>, and repeats the operation, which asks for the same block again (the slab
/// model is deterministic and a failed page allocation changes nothing but its statistics) and
/// now gets it. Blocks the model gives back collect in <see cref="TakeFreed"/>.
/// </summary>
public sealed class DeferredPageSource : IPageSource
{
    private readonly List<(long Pfn, int Order)> _freed = [];
    private PageRequest? _answered;
    private long _answerPfn = -1;
    private int _answerNode = -1;

    /// <summary>The first block the last attempt asked for and did not get, if any.</summary>
    public PageRequest? Pending { get; private set; }

    /// <summary>Starts an attempt of one operation: nothing is pending yet.</summary>
    public void BeginAttempt() => Pending = null;

    /// <summary>The outcome of <see cref="Pending"/>: a block (pfn on node) or a refusal (pfn -1).</summary>
    public void Answer(PageRequest request, long pfn, int node)
    {
        _answered = request;
        _answerPfn = pfn;
        _answerNode = node;
        Pending = null;
    }

    public bool TryAllocatePages(int node, int order, Gfp gfp, out long pfn, out int servedNode)
    {
        var request = new PageRequest(node, order, gfp);
        if (_answered == request)
        {
            _answered = null;
            pfn = _answerPfn;
            servedNode = _answerNode;
            return pfn >= 0;
        }
        Pending ??= request;
        pfn = -1;
        servedNode = -1;
        return false;
    }

    public void FreePages(long pfn, int order) => _freed.Add((pfn, order));

    /// <summary>
    /// Ends an attempt: a block answered but not asked for again (the repeated operation took
    /// another path) goes back with the freed blocks rather than leak.
    /// </summary>
    public void ReturnUnusedAnswer()
    {
        if (_answered is { } request && _answerPfn >= 0)
        {
            _freed.Add((_answerPfn, request.Order));
        }
        _answered = null;
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
