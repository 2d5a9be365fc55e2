using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Slab;

/// <summary>Allocation: __do_cache_alloc, ____cache_alloc, cache_alloc_refill, ____cache_alloc_node, fallback_alloc,
/// cache_grow_begin / cache_grow_end.</summary>
public sealed partial class SlabAllocator
{
    /// <summary>
    /// slab_alloc_node: NUMA_NO_NODE or the CPU's own node use the CPU array (____cache_alloc); when that finds
    /// nothing, or another node is asked for, ____cache_alloc_node takes from that node's lists, grows it, and
    /// falls back to other nodes unless __GFP_THISNODE. Task mempolicies and cpuset spreading
    /// (alternate_node_alloc) are not modelled.
    /// </summary>
    protected override bool AllocateObject(int cpu, int node, Gfp gfp, out ObjectAddress address, int requestedSize)
    {
        var local = NodeOfCpu(cpu);
        var found = false;
        SlabObjectRef obj = default;
        if (node == -1 || node == local)
        {
            found = CacheAlloc(cpu, gfp, out obj);
            node = local;
        }
        if (!found)
        {
            found = CacheAllocNode(cpu, gfp, node, out obj);
        }
        if (!found)
        {
            Stats.AllocFailed++;
            address = ObjectAddress.Null;
            return false;
        }
        address = Handout(obj, gfp);
        return true;
    }

    /// <summary>____cache_alloc: the CPU array's top, else a refill.</summary>
    private bool CacheAlloc(int cpu, Gfp gfp, out SlabObjectRef obj)
    {
        var ac = CpuCache(cpu);
        if (ac.Avail > 0)
        {
            ac.Touched = true;
            obj = ac.Pop();
            Stats.AllocHit++;
            return true;
        }
        Stats.AllocMiss++;
        return CacheAllocRefill(cpu, gfp, out obj);
    }

    /// <summary>
    /// cache_alloc_refill: batchcount objects (BATCHREFILL_LIMIT when the array was not touched since the last
    /// reap) from the shared array, else from the node's partial then free slabs; with nothing free on the node, a
    /// new slab on this node only (gfp_exact_node).
    /// </summary>
    private bool CacheAllocRefill(int cpu, Gfp gfp, out SlabObjectRef obj)
    {
        var node = NodeOfCpu(cpu);
        var ac = CpuCache(cpu);
        var n = _nodes[node];
        var batch = ac.BatchCount;
        if (!ac.Touched && batch > SlabLayout.BatchRefillLimit)
        {
            batch = SlabLayout.BatchRefillLimit;
        }

        if (n.FreeObjects > 0 || n.Shared is { Avail: > 0 })
        {
            if (n.Shared is { } shared && ArrayCache.Transfer(ac, shared, batch) > 0)
            {
                shared.Touched = true;
            }
            else
            {
                while (batch > 0 && GetFirstSlab(n) is { } slab)
                {
                    batch = AllocBlock(ac, slab, batch);
                    FixupSlabList(n, slab);
                }
                n.FreeObjects -= ac.Avail;
            }
        }

        if (ac.Avail == 0)
        {
            var slab = GrowBegin(GfpMasks.ExactNode(gfp), node);
            if (slab is not null)
            {
                AllocBlock(ac, slab, batch);
            }
            GrowEnd(slab);
            if (ac.Avail == 0)
            {
                obj = default;
                return false;
            }
        }
        ac.Touched = true;
        obj = ac.Pop();
        return true;
    }

    /// <summary>____cache_alloc_node: one object off the node's first partial (or free) slab, else a new slab on
    /// that node, else fallback_alloc.</summary>
    private bool CacheAllocNode(int cpu, Gfp gfp, int node, out SlabObjectRef obj)
    {
        var n = _nodes[node];
        if (GetFirstSlab(n) is { } slab)
        {
            Stats.NodeAllocs++;
            Stats.Allocations++;
            obj = new SlabObjectRef(slab, slab.PopFree());
            n.FreeObjects--;
            FixupSlabList(n, slab);
            return true;
        }

        var fresh = GrowBegin(GfpMasks.ExactNode(gfp), node);
        obj = default;
        var found = false;
        if (fresh is not null)
        {
            // The new slab is not counted in free_objects yet: cache_grow_end counts what is left.
            Stats.Allocations++;
            obj = new SlabObjectRef(fresh, fresh.PopFree());
            found = true;
        }
        GrowEnd(fresh);
        return found || FallbackAlloc(cpu, gfp, out obj);
    }

    /// <summary>
    /// fallback_alloc: unless __GFP_THISNODE, the nodes in zonelist order that have free objects, then a new slab
    /// wherever the page allocator finds one (the caller's gfp, from the CPU's node).
    /// </summary>
    private bool FallbackAlloc(int cpu, Gfp gfp, out SlabObjectRef obj)
    {
        obj = default;
        if ((gfp & Gfp.ThisNode) != 0)
        {
            return false;
        }
        var local = NodeOfCpu(cpu);
        foreach (var node in NodeFallback(local))
        {
            if (_nodes[node].FreeObjects > 0 && CacheAllocNode(cpu, GfpMasks.ExactNode(gfp), node, out obj))
            {
                return true;
            }
        }
        var slab = GrowBegin(gfp, local);
        GrowEnd(slab);
        return slab is not null && CacheAllocNode(cpu, GfpMasks.ExactNode(gfp), slab.Node, out obj);
    }

    /// <summary>get_first_slab: the first partial slab, else the first free one (free_touched).</summary>
    private static Slab? GetFirstSlab(KmemCacheNode n)
    {
        var slab = n.Partial.First;
        if (slab is null)
        {
            n.FreeTouched = true;
            slab = n.Free.First;
            if (slab is not null)
            {
                n.FreeSlabs--;
            }
        }
        return slab;
    }

    /// <summary>alloc_block: up to <paramref name="batch"/> objects of the slab into the array; returns what is left.</summary>
    private int AllocBlock(ArrayCache ac, Slab slab, int batch)
    {
        while (slab.FreeCount > 0 && batch > 0)
        {
            ac.Push(new SlabObjectRef(slab, slab.PopFree()));
            Stats.Allocations++;
            batch--;
        }
        return batch;
    }

    /// <summary>fixup_slab_list: to the head of the full or the partial list.</summary>
    private static void FixupSlabList(KmemCacheNode n, Slab slab)
    {
        slab.List?.Remove(slab);
        if (slab.FreeCount == 0)
        {
            n.Full.AddHead(slab);
            slab.State = SlabState.Full;
        }
        else
        {
            n.Partial.AddHead(slab);
            slab.State = SlabState.NodePartial;
        }
    }

    /// <summary>
    /// cache_grow_begin / kmem_getpages: 2^gfporder pages with the caller's reclaim and constraint bits plus the
    /// cache's allocflags, then the colour (colour_next steps of colour_off) and the objects' initial state.
    /// </summary>
    private Slab? GrowBegin(Gfp flags, int node)
    {
        var gfp = (flags & (GfpMasks.Reclaim | GfpMasks.Constraint)) | Cache.AllocFlags;
        if (!Pages.TryAllocatePages(node, Cache.Order, gfp, out var pfn, out var served))
        {
            return null;
        }
        if (served < 0 || served >= Cache.Nodes)
        {
            served = node;
        }
        var n = _nodes[served];
        n.ColourNext++;
        if (n.ColourNext >= Cache.Colour)
        {
            n.ColourNext = 0;
        }
        var colour = n.ColourNext < Cache.Colour ? n.ColourNext : 0;

        var slab = new Slab(pfn, Cache.Order, served, Cache.ObjectsPerSlab, Cache.KeepsBytes, PageSize, false, colour * Cache.ColourOff);
        PagesInUse += 1L << Cache.Order;
        PageMap.AddSlab(this, slab);
        CacheInitObjects(slab);
        return slab;
    }

    /// <summary>cache_grow_end: the slab joins its node's lists and free_objects.</summary>
    private void GrowEnd(Slab? slab)
    {
        if (slab is null)
        {
            return;
        }
        var n = _nodes[slab.Node];
        n.TotalSlabs++;
        if (slab.Active == 0)
        {
            n.Free.AddTail(slab);
            slab.State = SlabState.NodeFree;
            n.FreeSlabs++;
        }
        else
        {
            FixupSlabList(n, slab);
        }
        Stats.Grown++;
        n.FreeObjects += slab.FreeCount;
    }

    /// <summary>The object leaves the allocator: cache_alloc_debugcheck_after, then __GFP_ZERO clears object_size bytes.</summary>
    private ObjectAddress Handout(SlabObjectRef obj, Gfp gfp)
    {
        var (slab, index) = obj;
        slab.Allocated[index] = true;
        slab.Live++;
        ActiveObjects++;
        AllocDebugCheck(slab, index);
        if ((gfp & Gfp.Zero) != 0 && slab.Bytes is { } bytes)
        {
            bytes.AsSpan(ObjectOffset(slab, index), Cache.ObjectSize).Clear();
        }
        return AddressOf(slab, index);
    }
}
