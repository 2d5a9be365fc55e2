using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using NumaSim.Model.Topology;

namespace NumaSim.Replay;

/// <summary>
/// The slab model's pages from the simulated page allocator: alloc_pages_node on the CPU the traced event ran
/// on, freed back the same way. A slab allocation with no node asked for (NUMA_NO_NODE) follows the replay's
/// policy, as alloc_pages does with the task's mempolicy; one for a node prefers that node. Counts slab pages
/// per node for meminfo's SReclaimable and SUnreclaim (large kmalloc blocks count as unreclaimable, as
/// __kmalloc_large_node accounts them).
/// </summary>
internal sealed class ReplayPageSource : IPageSource
{
    private readonly PageAllocatorMachine _machine;
    private readonly PageRequests _requests;
    private readonly TraceCpuMap _cpus;
    private readonly Dictionary<long, (SimBlock Block, bool Reclaimable)> _blocks = [];
    private readonly long[] _reclaimable;
    private readonly long[] _unreclaimable;
    private readonly Action<string> _fault;

    /// <param name="fault">Told of a free the page allocator refused, or of a block this source never handed out.</param>
    public ReplayPageSource(PageAllocatorMachine machine, PageRequests requests, TraceCpuMap cpus, int nodes, Action<string> fault)
    {
        _machine = machine;
        _fault = fault;
        _requests = requests;
        _cpus = cpus;
        _reclaimable = new long[nodes];
        _unreclaimable = new long[nodes];
    }

    /// <summary>The dense index of the CPU the current event runs on.</summary>
    public int Cpu { get; set; }

    /// <summary>Whether the current event asked for no node, so that the replay's policy places its pages.</summary>
    public bool FollowPolicy { get; set; }

    public long ReclaimablePages(int node) => _reclaimable[node];

    public long UnreclaimablePages(int node) => _unreclaimable[node];

    public bool TryAllocatePages(int node, int order, Gfp gfp, out long pfn, out int servedNode)
    {
        var request = FollowPolicy && node == _cpus.Node(Cpu) ? _requests.Policy(order, gfp) : _requests.OnNode(order, gfp, node);
        var (p, zone) = _machine.Allocate(_cpus.CpuId(Cpu), request);
        if (p < 0)
        {
            pfn = -1;
            servedNode = -1;
            return false;
        }
        var reclaimable = (gfp & Gfp.Reclaimable) != 0;
        _blocks.Add(p, (new SimBlock(p, zone, order, request.Gfp.MigrateType()), reclaimable));
        servedNode = ZoneIndex.Node(zone);
        (reclaimable ? _reclaimable : _unreclaimable)[servedNode] += 1L << order;
        pfn = p;
        return true;
    }

    public void FreePages(long pfn, int order)
    {
        if (!_blocks.Remove(pfn, out var entry))
        {
            _fault($"the slab model freed pfn 0x{pfn:x}, which it never allocated");
            return;
        }
        var block = entry.Block;
        var node = ZoneIndex.Node(block.Zone);
        (entry.Reclaimable ? _reclaimable : _unreclaimable)[node] -= 1L << block.Order;
        if (!_machine.Free(_cpus.CpuId(Cpu), block.Zone, block.Pfn, block.Order, block.Type))
        {
            _fault($"the page allocator refused to free slab pfn 0x{block.Pfn:x} order {block.Order}");
        }
    }
}
