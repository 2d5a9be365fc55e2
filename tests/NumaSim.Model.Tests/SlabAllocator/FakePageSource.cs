using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using Xunit;

namespace NumaSim.Model.Tests.SlabAllocator;

/// <summary>
/// A page source with a bump allocator per node (node n owns pfns from (n + 1) * 2^20), a page budget per node,
/// fallback to other nodes unless __GFP_THISNODE, and a record of every call.
/// </summary>
public sealed class FakePageSource : IPageSource
{
    public const long NodeSpan = 1L << 20;

    private readonly long[] _budget;
    private readonly long[] _next;
    private readonly Dictionary<long, (int Order, int Node)> _live = [];

    public FakePageSource(int nodes, long pagesPerNode = NodeSpan / 2)
    {
        _budget = Enumerable.Repeat(pagesPerNode, nodes).ToArray();
        _next = new long[nodes];
    }

    public List<(int Node, int Order, Gfp Gfp, bool Ok)> Calls { get; } = [];

    public List<(long Pfn, int Order)> Frees { get; } = [];

    public long PagesTaken { get; private set; }

    public long PagesReturned { get; private set; }

    public int LiveBlocks => _live.Count;

    public int AllocCalls => Calls.Count;

    /// <summary>Makes a node refuse everything from now on.</summary>
    public void Exhaust(int node) => _budget[node] = 0;

    public void SetBudget(int node, long pages) => _budget[node] = pages;

    public static int NodeOf(long pfn) => (int)(pfn / NodeSpan) - 1;

    public static int NodeOf(ObjectAddress address)
    {
        Assert.True(address.TryGetPfn(4096, out var pfn));
        return NodeOf(pfn);
    }

    public bool TryAllocatePages(int node, int order, Gfp gfp, out long pfn, out int servedNode)
    {
        var nodes = (gfp & Gfp.ThisNode) != 0
            ? [node]
            : new[] { node }.Concat(Enumerable.Range(0, _budget.Length).Where(n => n != node));
        foreach (var n in nodes)
        {
            var pages = 1L << order;
            if (_budget[n] < pages)
            {
                continue;
            }
            _budget[n] -= pages;
            _next[n] = (_next[n] + pages - 1) / pages * pages;
            pfn = (n + 1) * NodeSpan + _next[n];
            _next[n] += pages;
            servedNode = n;
            _live.Add(pfn, (order, n));
            PagesTaken += pages;
            Calls.Add((node, order, gfp, true));
            return true;
        }
        Calls.Add((node, order, gfp, false));
        pfn = -1;
        servedNode = -1;
        return false;
    }

    public void FreePages(long pfn, int order)
    {
        Assert.True(_live.Remove(pfn, out var block), $"pfn {pfn:x} was not allocated");
        Assert.Equal(block.Order, order);
        _budget[block.Node] += 1L << order;
        PagesReturned += 1L << order;
        Frees.Add((pfn, order));
    }
}
