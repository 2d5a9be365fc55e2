using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Slab;

/// <summary>Allocation: slab_alloc_node, ___slab_alloc, get_partial, new_slab.</summary>
public sealed partial class SlubAllocator
{
    protected override bool AllocateObject(int cpu, int node, Gfp gfp, out ObjectAddress address, int requestedSize)
    {
        var origSize = requestedSize <= 0 ? Cache.ObjectSize : Math.Min(requestedSize, Cache.ObjectSize);
        var c = CpuSlab(cpu);

        if (c.Slab is { } active && c.FreeHead >= 0 && NodeMatch(active, node))
        {
            Stats.AllocFastpath++;
            address = Handout(active, PopCpuFree(c), gfp, origSize);
            return true;
        }
        if (SlowAlloc(cpu, node, gfp, origSize, out var slab, out var index))
        {
            address = Handout(slab, index, gfp, origSize);
            return true;
        }
        address = ObjectAddress.Null;
        return false;
    }

    private static bool NodeMatch(Slab slab, int node) => node == -1 || slab.Node == node;

    /// <summary>___slab_alloc.</summary>
    private bool SlowAlloc(int cpu, int node, Gfp gfp, int origSize, out Slab slab, out int index)
    {
        Stats.AllocSlowpath++;
        var c = CpuSlab(cpu);
        if (!Cache.IsDebug)
        {
            if (c.Slab is { } current)
            {
                if (!NodeMatch(current, node))
                {
                    Stats.AllocNodeMismatch++;
                    Deactivate(c);
                }
                else if (current.FreeCount > 0)
                {
                    // get_freelist: take over the objects other CPUs freed into the CPU slab.
                    TakeSlabFreelist(c, current);
                    Stats.AllocRefill++;
                    slab = current;
                    index = PopCpuFree(c);
                    return true;
                }
                else
                {
                    // The CPU slab is full: it leaves the CPU without going on any SLUB list.
                    c.Slab = null;
                    current.Cpu = -1;
                    MakeFull(current);
                    Stats.DeactivateBypass++;
                }
            }

            // new_slab: the CPU partial list; slabs of another node go back to their node.
            while (c.Partial.PopHead() is { } partial)
            {
                if (NodeMatch(partial, node))
                {
                    Freeze(c, cpu, partial);
                    Stats.CpuPartialAlloc++;
                    slab = partial;
                    index = PopCpuFree(c);
                    return true;
                }
                PutPartial(partial);
            }
        }

        var tryThisNode = true;
        while (true)
        {
            // new_objects: with a preferred node and no __GFP_THISNODE, first that node only, without reclaim.
            var pcFlags = gfp;
            if (node != -1 && (gfp & Gfp.ThisNode) == 0 && tryThisNode)
            {
                pcFlags = Gfp.NoWait | Gfp.ThisNode;
            }
            if (GetPartial(cpu, node, pcFlags, origSize, out slab, out index))
            {
                return true;
            }

            var fresh = NewSlab(cpu, pcFlags, node);
            if (fresh is null)
            {
                if (node != -1 && (gfp & Gfp.ThisNode) == 0 && tryThisNode)
                {
                    tryThisNode = false;
                    continue;
                }
                Stats.AllocFailed++;
                slab = null!;
                index = -1;
                return false;
            }
            Stats.AllocSlab++;

            if (Cache.IsDebug)
            {
                if (AllocSingleFromNewSlab(fresh, origSize, out index))
                {
                    slab = fresh;
                    return true;
                }
                continue;
            }

            Freeze(c, cpu, fresh);
            slab = fresh;
            index = PopCpuFree(c);
            return true;
        }
    }

    /// <summary>get_partial: the node asked for (or the CPU's), then other nodes unless __GFP_THISNODE.</summary>
    private bool GetPartial(int cpu, int node, Gfp pcFlags, int origSize, out Slab slab, out int index)
    {
        var searchNode = node == -1 ? NodeOfCpu(cpu) : node;
        if (GetPartialNode(cpu, searchNode, origSize, out slab, out index))
        {
            return true;
        }
        if (node != -1 && (pcFlags & Gfp.ThisNode) != 0)
        {
            return false;
        }
        return GetAnyPartial(cpu, origSize, out slab, out index);
    }

    /// <summary>
    /// get_any_partial: nodes in zonelist order whose partial list holds more than min_partial slabs.
    /// remote_node_defrag_ratio (1000 of 1024 tries) is taken as always.
    /// </summary>
    private bool GetAnyPartial(int cpu, int origSize, out Slab slab, out int index)
    {
        foreach (var n in NodeFallback(NodeOfCpu(cpu)))
        {
            if (_nodePartial[n].Count > Cache.MinPartialSlabs && GetPartialNode(cpu, n, origSize, out slab, out index))
            {
                return true;
            }
        }
        slab = null!;
        index = -1;
        return false;
    }

    /// <summary>
    /// get_partial_node: the first partial slab becomes the CPU slab and up to cpu_partial_slabs / 2 more move to
    /// the CPU partial list; a debug cache takes one object from the first slab that passes the checks.
    /// </summary>
    private bool GetPartialNode(int cpu, int node, int origSize, out Slab slab, out int index)
    {
        var list = _nodePartial[node];
        if (Cache.IsDebug)
        {
            for (var s = list.First; s is not null;)
            {
                var next = s.ListNext;
                if (AllocSingleFromPartial(s, origSize, out index))
                {
                    slab = s;
                    return true;
                }
                s = next;
            }
            slab = null!;
            index = -1;
            return false;
        }

        if (list.PopHead() is not { } first)
        {
            slab = null!;
            index = -1;
            return false;
        }
        Stats.AllocFromPartial++;
        if (Cache.CpuPartialSlabs != 0)
        {
            var moved = 0;
            while (list.PopHead() is { } more)
            {
                PutCpuPartial(cpu, more, drain: false);
                Stats.CpuPartialNode++;
                if (++moved > Cache.CpuPartialSlabs / 2)
                {
                    break;
                }
            }
        }
        var c = CpuSlab(cpu);
        Freeze(c, cpu, first);
        slab = first;
        index = PopCpuFree(c);
        return true;
    }

    /// <summary>alloc_single_from_partial (debug caches).</summary>
    private bool AllocSingleFromPartial(Slab slab, int origSize, out int index)
    {
        index = slab.PopFree();
        if (!AllocDebugProcessing(slab, index, origSize))
        {
            index = -1;
            return false;
        }
        if (slab.FreeCount == 0)
        {
            MakeFull(slab);
        }
        return true;
    }

    /// <summary>alloc_single_from_new_slab (debug caches).</summary>
    private bool AllocSingleFromNewSlab(Slab slab, int origSize, out int index)
    {
        index = slab.PopFree();
        if (!AllocDebugProcessing(slab, index, origSize))
        {
            index = -1;
            return false;
        }
        if (slab.FreeCount == 0)
        {
            MakeFull(slab);
        }
        else
        {
            AddPartial(slab, tail: false);
        }
        return true;
    }

    /// <summary>new_slab / allocate_slab: the preferred order without reclaim or retries, then the minimum order.</summary>
    private Slab? NewSlab(int cpu, Gfp flags, int node)
    {
        // kmalloc_fix_flags drops GFP_SLAB_BUG_MASK bits; new_slab keeps only the reclaim and constraint bits.
        flags &= GfpMasks.Reclaim | GfpMasks.Constraint;
        flags |= Cache.AllocFlags;
        var allocGfp = (flags | Gfp.NoWarn | Gfp.NoRetry) & ~Gfp.NoFail;
        if ((allocGfp & Gfp.DirectReclaim) != 0 && Cache.Order > Cache.MinOrder)
        {
            allocGfp = (allocGfp | Gfp.NoMemalloc) & ~Gfp.Reclaim;
        }
        var target = node == -1 ? NodeOfCpu(cpu) : node;

        var order = Cache.Order;
        var objects = Cache.ObjectsPerSlab;
        if (!Pages.TryAllocatePages(target, order, allocGfp, out var pfn, out var served))
        {
            order = Cache.MinOrder;
            objects = Cache.MinOrderObjects;
            if (!Pages.TryAllocatePages(target, order, flags, out pfn, out served))
            {
                return null;
            }
            Stats.OrderFallback++;
        }
        if (served < 0 || served >= Cache.Nodes)
        {
            served = target;
        }

        var slab = new Slab(pfn, order, served, objects, Cache.KeepsBytes, PageSize, Cache.TracksOrigSize);
        PagesInUse += 1L << order;
        _nodeSlabs[served]++;
        _nodeObjects[served] += objects;
        PageMap.AddSlab(this, slab);
        if (slab.Bytes is { } bytes)
        {
            // setup_slab_debug, then setup_object_debug for each object.
            if ((Cache.Flags & SlabFlags.Poison) != 0)
            {
                bytes.AsSpan().Fill(PoisonInuse);
            }
            if ((Cache.Flags & (SlabFlags.RedZone | SlabFlags.StoreUser)) != 0 || Cache.ObjectPoison)
            {
                for (var i = 0; i < objects; i++)
                {
                    InitObject(slab, i, RedInactive);
                }
            }
        }
        if (Cache.HasCtor)
        {
            CtorCalls += objects;
        }
        return slab;
    }

    /// <summary>The slab becomes the CPU slab and its freelist the CPU's lockless freelist (freeze_slab).</summary>
    private void Freeze(KmemCacheCpu c, int cpu, Slab slab)
    {
        slab.List?.Remove(slab);
        slab.State = SlabState.CpuActive;
        slab.Cpu = cpu;
        c.Slab = slab;
        TakeSlabFreelist(c, slab);
    }

    private static void TakeSlabFreelist(KmemCacheCpu c, Slab slab)
    {
        c.FreeHead = slab.FreeHead;
        c.FreeCount = slab.FreeCount;
        slab.FreeHead = -1;
        slab.FreeCount = 0;
    }

    private static int PopCpuFree(KmemCacheCpu c)
    {
        var index = c.FreeHead;
        c.FreeHead = c.Slab!.Next[index];
        c.FreeCount--;
        return index;
    }

    /// <summary>The object leaves the allocator; __GFP_ZERO zeroes it (slab_post_alloc_hook).</summary>
    private ObjectAddress Handout(Slab slab, int index, Gfp gfp, int origSize)
    {
        slab.Allocated[index] = true;
        if (slab.Live++ == 0)
        {
            ActiveSlabs++;
        }
        ActiveObjects++;
        if ((gfp & Gfp.Zero) != 0 && slab.Bytes is { } bytes)
        {
            var zeroSize = (Cache.Flags & (SlabFlags.StoreUser | SlabFlags.RedZone)) != 0 && (Cache.Flags & SlabFlags.Kmalloc) != 0
                ? origSize
                : Cache.ObjectSize;
            bytes.AsSpan(ObjectOffset(index), zeroSize).Clear();
        }
        return AddressOf(slab, index);
    }
}
