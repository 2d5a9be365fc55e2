namespace NumaSim.Model.Slab;

/// <summary>Freeing and draining: ___cache_free, cache_free_alien, cache_flusharray, free_block, drain_cpu_caches,
/// drain_freelist, __kmem_cache_shrink, cache_reap.</summary>
public sealed partial class SlabAllocator
{
    /// <summary>drain_cpu_caches: every CPU array, then the alien and shared arrays, back to the slabs.</summary>
    public override void FlushAll()
    {
        ThrowIfDestroyed();
        foreach (var ac in _cpuCache)
        {
            if (ac is null)
            {
                continue;
            }
            FreeBlock(ac.Entries);
            ac.Avail = 0;
            SlabsDestroy();
        }
        for (var node = 0; node < _nodes.Length; node++)
        {
            if (_nodes[node].Alien is { } aliens)
            {
                for (var owner = 0; owner < aliens.Length; owner++)
                {
                    if (aliens[owner] is { } alien)
                    {
                        DrainAlien(alien, owner);
                    }
                }
            }
        }
        for (var node = 0; node < _nodes.Length; node++)
        {
            if (_nodes[node].Shared is { } shared)
            {
                DrainArrayLocked(shared, freeAll: true);
            }
        }
    }

    /// <summary>__kmem_cache_shrink: drain_cpu_caches, then every free slab back to the page source. Returns 1 when
    /// full or partial slabs remain, else 0.</summary>
    public override int Shrink()
    {
        FlushAll();
        var remain = false;
        foreach (var n in _nodes)
        {
            DrainFreelist(n, int.MaxValue);
            remain |= n.Full.Count > 0 || n.Partial.Count > 0;
        }
        return remain ? 1 : 0;
    }

    /// <summary>
    /// One cache_reap pass for <paramref name="cpu"/> (every 2 s per CPU in the kernel; the model runs it when
    /// asked): drains the node's alien arrays, a fifth of the CPU array and of the shared array unless they were
    /// touched since the last pass, and, unless a free slab was used since, about a fifth of free_limit's worth of
    /// free slabs. Returns the slabs given back.
    /// </summary>
    public int Reap(int cpu)
    {
        ThrowIfDestroyed();
        CheckCpu(cpu);
        var node = NodeOfCpu(cpu);
        var n = _nodes[node];
        if (n.Alien is { } aliens)
        {
            for (var owner = 0; owner < aliens.Length; owner++)
            {
                if (aliens[owner] is { Avail: > 0 } alien)
                {
                    DrainAlien(alien, owner);
                }
            }
        }
        DrainArray(_cpuCache[cpu]);
        DrainArray(n.Shared);
        if (n.FreeTouched)
        {
            n.FreeTouched = false;
            return 0;
        }
        var num = Cache.ObjectsPerSlab;
        var freed = DrainFreelist(n, (int)Math.Min(int.MaxValue, (n.FreeLimit + 5L * num - 1) / (5L * num)));
        Stats.Reaped += freed;
        return freed;
    }

    /// <summary>___cache_free for an object of this cache.</summary>
    internal bool FreeInSlab(int cpu, Slab slab, ObjectAddress address)
    {
        var index = IndexOf(slab, address);
        if (index < 0)
        {
            // cache_free_debugcheck BUG()s with DEBUG; without it free_block would corrupt the freelist. The model
            // refuses and the kernel prints nothing it could match.
            AddReport(SlabDebugKind.InvalidPointer, address, [], silent: true);
            return false;
        }
        if (!slab.Allocated[index])
        {
            ReportDoubleFree(slab, index, address);
            return false;
        }
        FreeDebugCheck(slab, index);
        slab.Allocated[index] = false;
        slab.Live--;
        ActiveObjects--;

        var obj = new SlabObjectRef(slab, index);
        var local = NodeOfCpu(cpu);
        if (Cache.Nodes > 1 && slab.Node != local)
        {
            FreeAlien(local, obj);
            return true;
        }
        var ac = CpuCache(cpu);
        if (ac.Avail < ac.Limit)
        {
            Stats.FreeHit++;
        }
        else
        {
            Stats.FreeMiss++;
            CacheFlushArray(cpu, ac);
        }
        ac.Push(obj);
        return true;
    }

    /// <summary>
    /// cache_free_alien: an object of another node goes to this node's alien array for that node (drained there
    /// when full), or without alien caches straight back to its slab.
    /// </summary>
    private void FreeAlien(int node, SlabObjectRef obj)
    {
        Stats.NodeFrees++;
        var owner = obj.Slab.Node;
        if (_nodes[node].Alien?[owner] is { } alien)
        {
            if (alien.Avail == alien.Limit)
            {
                Stats.NodeOverflow++;
                DrainAlien(alien, owner);
            }
            alien.Push(obj);
            return;
        }
        FreeBlock(new ReadOnlySpan<SlabObjectRef>(in obj));
        SlabsDestroy();
    }

    /// <summary>__drain_alien_cache: into the owning node's shared array first, the rest back to the slabs.</summary>
    private void DrainAlien(ArrayCache alien, int owner)
    {
        if (alien.Avail == 0)
        {
            return;
        }
        if (_nodes[owner].Shared is { } shared)
        {
            ArrayCache.Transfer(shared, alien, alien.Limit);
        }
        FreeBlock(alien.Entries);
        Array.Clear(alien.Entry, 0, alien.Avail);
        alien.Avail = 0;
        SlabsDestroy();
    }

    /// <summary>cache_flusharray: the oldest batchcount objects to the shared array if it has room (as many as fit),
    /// else back to their slabs.</summary>
    private void CacheFlushArray(int cpu, ArrayCache ac)
    {
        var batch = ac.BatchCount;
        if (_nodes[NodeOfCpu(cpu)].Shared is { } shared && shared.Limit - shared.Avail is > 0 and var room)
        {
            batch = Math.Min(batch, room);
            Array.Copy(ac.Entry, 0, shared.Entry, shared.Avail, batch);
            shared.Avail += batch;
        }
        else
        {
            FreeBlock(ac.Entry.AsSpan(0, batch));
        }
        SlabsDestroy();
        ac.RemoveFront(batch);
    }

    /// <summary>drain_array: a touched array is only marked untouched; otherwise drain_array_locked.</summary>
    private void DrainArray(ArrayCache? ac)
    {
        if (ac is null || ac.Avail == 0)
        {
            return;
        }
        if (ac.Touched)
        {
            ac.Touched = false;
            return;
        }
        DrainArrayLocked(ac, freeAll: false);
    }

    /// <summary>drain_array_locked: everything, or (limit + 4) / 5 objects (half when fewer are there).</summary>
    private void DrainArrayLocked(ArrayCache ac, bool freeAll)
    {
        if (ac.Avail == 0)
        {
            return;
        }
        var toFree = freeAll ? ac.Avail : (ac.Limit + 4) / 5;
        if (toFree > ac.Avail)
        {
            toFree = (ac.Avail + 1) / 2;
        }
        FreeBlock(ac.Entry.AsSpan(0, toFree));
        ac.RemoveFront(toFree);
        SlabsDestroy();
    }

    /// <summary>
    /// free_block: each object back onto its slab's freelist; an empty slab to the head of slabs_free, another to the
    /// tail of slabs_partial; then, while the node holds more than free_limit free objects, its last free slabs
    /// leave for <see cref="SlabsDestroy"/>. The kernel passes the node; every caller passes objects of that node,
    /// so the model reads it off each slab.
    /// </summary>
    private void FreeBlock(ReadOnlySpan<SlabObjectRef> objects)
    {
        foreach (var (slab, index) in objects)
        {
            var n = _nodes[slab.Node];
            _touchedNodes[slab.Node] = true;
            n.FreeObjects++;
            slab.List?.Remove(slab);
            slab.PushFree(index);
            if (slab.Active == 0)
            {
                n.Free.AddHead(slab);
                slab.State = SlabState.NodeFree;
                n.FreeSlabs++;
            }
            else
            {
                n.Partial.AddTail(slab);
                slab.State = SlabState.NodePartial;
            }
        }
        for (var node = 0; node < _nodes.Length; node++)
        {
            if (!_touchedNodes[node])
            {
                continue;
            }
            _touchedNodes[node] = false;
            var n = _nodes[node];
            while (n.FreeObjects > n.FreeLimit && n.Free.Last is { } last)
            {
                n.FreeObjects -= Cache.ObjectsPerSlab;
                n.Free.Remove(last);
                n.FreeSlabs--;
                n.TotalSlabs--;
                _destroyList.Add(last);
            }
        }
    }

    /// <summary>drain_freelist: up to <paramref name="toFree"/> free slabs, from the tail, back to the page source.</summary>
    private int DrainFreelist(KmemCacheNode n, int toFree)
    {
        var freed = 0;
        while (freed < toFree && n.Free.Last is { } last)
        {
            n.Free.Remove(last);
            n.FreeSlabs--;
            n.TotalSlabs--;
            n.FreeObjects -= Cache.ObjectsPerSlab;
            SlabDestroy(last);
            freed++;
        }
        return freed;
    }

    /// <summary>slabs_destroy.</summary>
    private void SlabsDestroy()
    {
        foreach (var slab in _destroyList)
        {
            SlabDestroy(slab);
        }
        _destroyList.Clear();
    }

    /// <summary>slab_destroy: the debug checks of every (free) object, then kmem_freepages. An off-slab freelist
    /// would be kfree'd here; the model does not back it with memory.</summary>
    private void SlabDestroy(Slab slab)
    {
        DestroyDebugCheck(slab);
        slab.State = SlabState.Discarded;
        PageMap.Remove(slab.Pfn, slab.Order);
        Pages.FreePages(slab.Pfn, slab.Order);
        PagesInUse -= 1L << slab.Order;
        Stats.FreeSlab++;
    }
}
