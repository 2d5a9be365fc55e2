using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.Kernel;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Topology;

namespace NumaSim.Actors.Slabs;

/// <summary>Slab pages: alloc_pages_node through this front-end's per-CPU lists and the allocator's slow path, and frees.</summary>
public sealed partial class SlabActor
{
    private readonly DeferredPageSource _pages = new();
    private readonly Dictionary<long, SlabPage> _pageOwners = [];

    /// <summary>Pages held per node and use (NR_SLAB_UNRECLAIMABLE, NR_SLAB_RECLAIMABLE, vmalloc, NR_PAGETABLE).</summary>
    private readonly long[,] _pagesByUse;

    private readonly RateLimit _warnAlloc = RateLimit.WarnAlloc();

    private PageRequest _fetching;
    private Action<AllocationStep>? _onPage;

    /// <summary>Asks the page allocator for the block the model is waiting for.</summary>
    private void FetchPages()
    {
        var request = _fetching;
        var policy = request.Node < 0 ? MemPolicy.Default : new MemPolicy(MemPolicyMode.Preferred, [request.Node]);
        _now += _latency.PcpAllocNs;
        AllocatePages(new AllocationRequest(request.Order, request.Gfp, policy), _onPage ??= OnPage);
    }

    private void OnPage(AllocationStep step)
    {
        switch (step.Kind)
        {
            case AllocationStepKind.Allocated:
                // Slab pages (and large kmalloc blocks) until a vmalloc takes them over.
                var use = (_fetching.Gfp & Gfp.Reclaimable) != 0 ? PageUse.SlabReclaimable : PageUse.SlabUnreclaimable;
                _pageOwners[step.Pfn] = new SlabPage(step.Zone, _fetching.Gfp.MigrateType(), use, _fetching.Order);
                _pagesByUse[ZoneIndex.Node(step.Zone), (int)use] += 1L << _fetching.Order;
                _pages.Answer(_fetching, step.Pfn, ZoneIndex.Node(step.Zone));
                Attempt();
                return;
            default:
                // The slow path has woken kswapd, reclaimed directly and asked the OOM killer where the gfp allows.
                if ((_fetching.Gfp & Gfp.NoWarn) == 0 && _warnAlloc.Allow(_now))
                {
                    var nodes = CpuList.Format([.. _topology.Nodes.Select(n => n.Id)]);
                    AddError(new SimError("page_allocation_failure",
                        KernelMessages.PageAllocationFailure(Comm, _fetching.Order, _fetching.Gfp, nodes), _cpu, _now));
                }
                _pages.Answer(_fetching, -1, -1);
                Attempt();
                return;
        }
    }

    /// <summary>Blocks the model gave back (empty slabs, large kmalloc blocks) go to this CPU's lists, or on to the zone.</summary>
    private void FreeReturnedPages()
    {
        foreach (var (pfn, order) in _pages.TakeFreed())
        {
            FreeSlabPage(pfn, order);
        }
    }

    private void FreeSlabPage(long pfn, int order)
    {
        var page = _pageOwners[pfn];
        _pageOwners.Remove(pfn);
        _pagesByUse[ZoneIndex.Node(page.Zone), (int)page.Use] -= 1L << order;
        FreeToPcp(page.Zone, pfn, order, page.Type);
    }

    /// <summary>Counts a block the front-end holds under another use.</summary>
    private void Reassign(long pfn, PageUse use)
    {
        var page = _pageOwners[pfn];
        var node = ZoneIndex.Node(page.Zone);
        _pagesByUse[node, (int)page.Use] -= 1L << page.Order;
        _pagesByUse[node, (int)use] += 1L << page.Order;
        _pageOwners[pfn] = page with { Use = use };
    }

    private enum PageUse
    {
        SlabUnreclaimable,
        SlabReclaimable,
        Vmalloc,
        PageTable,
    }

    /// <summary>Where a block the front-end holds came from, and what it holds.</summary>
    private readonly record struct SlabPage(int Zone, MigrateType Type, PageUse Use, int Order);
}
