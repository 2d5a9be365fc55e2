namespace NumaSim.Model.Slab;

/// <summary>Freeing and list management: do_slab_free, __slab_free, free_to_partial_list, put_cpu_partial,
/// __put_partials, deactivate_slab, discard_slab.</summary>
public sealed partial class SlubAllocator
{
    /// <summary>flush_all: every CPU slab and CPU partial list goes back to the node lists (kmem_cache_shrink's first step).</summary>
    public override void FlushAll()
    {
        ThrowIfDestroyed();
        for (var c = 0; c < _cpus.Length; c++)
        {
            FlushCpu(c);
        }
    }

    /// <summary>
    /// kmem_cache_shrink: flush_all, discard every empty slab on the node partial lists and put the fullest
    /// partial slabs first (up to 32 free objects, fewest free first). Returns 1 when slabs remain, else 0.
    /// </summary>
    public override int Shrink()
    {
        FlushAll();
        for (var n = 0; n < _nodePartial.Length; n++)
        {
            _scratch.Clear();
            while (_nodePartial[n].PopHead() is { } slab)
            {
                _scratch.Add(slab);
            }
            const int promoteMax = 32;
            foreach (var slab in _scratch.Where(s => s.Live == 0).ToList())
            {
                Discard(slab);
            }
            foreach (var slab in _scratch
                .Where(s => s.State != SlabState.Discarded)
                .Select((s, i) => (Slab: s, Order: i))
                .OrderBy(x => x.Slab.FreeCount <= promoteMax ? x.Slab.FreeCount : promoteMax + 1)
                .ThenBy(x => x.Order)
                .Select(x => x.Slab))
            {
                AddPartial(slab, tail: true);
            }
            _scratch.Clear();
        }
        return TotalSlabs > 0 ? 1 : 0;
    }

    /// <summary>slab_free: the object index within the slab (-1 when the address is not an object start).</summary>
    internal bool FreeInSlab(int cpu, Slab slab, ObjectAddress address)
    {
        var fromObject = (long)(address.Value - ObjectAddress.FromPfn(slab.Pfn, PageSize).Value) - Cache.RedLeftPad;
        var index = fromObject >= 0 && fromObject % Cache.Size == 0 && fromObject / Cache.Size < slab.Objects
            ? (int)(fromObject / Cache.Size)
            : -1;

        if (Cache.IsDebug)
        {
            return FreeToPartialList(slab, index, address);
        }
        // Without SLAB_CONSISTENCY_CHECKS SLUB would corrupt its freelist here; the model refuses instead.
        if (index < 0)
        {
            AddReport(SlabDebugKind.InvalidPointer, address, [], silent: true);
            return false;
        }
        if (!slab.Allocated[index])
        {
            AddReport(SlabDebugKind.DoubleFree, address, [], silent: true);
            return false;
        }
        Release(slab, index);

        var c = CpuSlab(cpu);
        if (slab == c.Slab)
        {
            slab.Next[index] = c.FreeHead;
            c.FreeHead = index;
            c.FreeCount++;
            Stats.FreeFastpath++;
            return true;
        }
        SlabFreeSlow(cpu, slab, index);
        return true;
    }

    /// <summary>__slab_free for caches with CPU partial lists.</summary>
    private void SlabFreeSlow(int cpu, Slab slab, int index)
    {
        Stats.FreeSlowpath++;
        var prior = slab.FreeCount > 0;
        var wasFrozen = slab.State == SlabState.CpuActive;
        slab.PushFree(index);
        if (wasFrozen)
        {
            // Another CPU's active slab: the object waits on slab->freelist (remote free).
            Stats.FreeFrozen++;
            return;
        }
        if (!prior)
        {
            // A full slab got its first free object: it goes to the freeing CPU's partial list.
            slab.List?.Remove(slab);
            PutCpuPartial(cpu, slab, drain: true);
            Stats.CpuPartialFree++;
            return;
        }
        if (slab.Live != 0 || slab.State != SlabState.NodePartial)
        {
            return; // still in use, or empty on a CPU partial list (it stays there)
        }
        if (_nodePartial[slab.Node].Count >= Cache.MinPartialSlabs)
        {
            _nodePartial[slab.Node].Remove(slab);
            Stats.FreeRemovePartial++;
            Discard(slab);
        }
    }

    /// <summary>free_to_partial_list (debug caches): checks, then the node lists directly.</summary>
    private bool FreeToPartialList(Slab slab, int index, ObjectAddress address)
    {
        if (!FreeDebugProcessing(slab, index, address))
        {
            return false;
        }
        Release(slab, index);
        var prior = slab.FreeCount > 0;
        slab.PushFree(index);
        var list = _nodePartial[slab.Node];
        var discard = slab.Live == 0 && list.Count >= Cache.MinPartialSlabs;
        if (!prior)
        {
            slab.List?.Remove(slab);
            if (!discard)
            {
                AddPartial(slab, tail: true);
                Stats.FreeAddPartial++;
            }
        }
        else if (discard)
        {
            list.Remove(slab);
            Stats.FreeRemovePartial++;
        }
        if (discard)
        {
            Discard(slab);
        }
        return true;
    }

    private void Release(Slab slab, int index)
    {
        slab.Allocated[index] = false;
        if (--slab.Live == 0)
        {
            ActiveSlabs--;
        }
        ActiveObjects--;
    }

    /// <summary>put_cpu_partial: a full list is first moved to the node lists when <paramref name="drain"/>.</summary>
    private void PutCpuPartial(int cpu, Slab slab, bool drain)
    {
        var list = CpuSlab(cpu).Partial;
        var flush = drain && list.Count > 0 && list.Count >= Cache.CpuPartialSlabs;
        if (flush)
        {
            _scratch.Clear();
            while (list.PopHead() is { } old)
            {
                _scratch.Add(old);
            }
        }
        list.AddHead(slab);
        slab.State = SlabState.CpuPartial;
        slab.Cpu = cpu;
        if (flush)
        {
            foreach (var old in _scratch)
            {
                PutPartial(old);
            }
            _scratch.Clear();
            Stats.CpuPartialDrain++;
        }
    }

    /// <summary>__put_partials for one slab: to the tail of its node's partial list, or discarded when empty
    /// and the node already keeps min_partial slabs.</summary>
    private void PutPartial(Slab slab)
    {
        slab.List?.Remove(slab);
        slab.Cpu = -1;
        if (slab.Live == 0 && _nodePartial[slab.Node].Count >= Cache.MinPartialSlabs)
        {
            Stats.DeactivateEmpty++;
            Discard(slab);
            return;
        }
        AddPartial(slab, tail: true);
        Stats.FreeAddPartial++;
    }

    /// <summary>deactivate_slab: the CPU freelist goes back to the slab, which goes to a node list or away.</summary>
    private void Deactivate(KmemCacheCpu c)
    {
        var slab = c.Slab!;
        c.Slab = null;
        var remoteFrees = slab.FreeCount > 0;
        if (c.FreeHead >= 0)
        {
            var tail = c.FreeHead;
            while (slab.Next[tail] >= 0)
            {
                tail = slab.Next[tail];
            }
            slab.Next[tail] = slab.FreeHead;
            slab.FreeHead = c.FreeHead;
            slab.FreeCount += c.FreeCount;
        }
        c.FreeHead = -1;
        c.FreeCount = 0;
        slab.Cpu = -1;

        if (slab.Live == 0 && _nodePartial[slab.Node].Count >= Cache.MinPartialSlabs)
        {
            Stats.DeactivateEmpty++;
            Discard(slab);
        }
        else if (slab.FreeCount > 0)
        {
            AddPartial(slab, tail: remoteFrees);
            if (remoteFrees)
            {
                Stats.DeactivateToTail++;
            }
            else
            {
                Stats.DeactivateToHead++;
            }
        }
        else
        {
            MakeFull(slab);
            Stats.DeactivateFull++;
        }
    }

    /// <summary>__flush_cpu_slab: deactivate the CPU slab and empty the CPU partial list.</summary>
    private void FlushCpu(int cpu)
    {
        if (_cpus[cpu] is not { } c)
        {
            return;
        }
        if (c.Slab is not null)
        {
            Deactivate(c);
            Stats.CpuSlabFlush++;
        }
        while (c.Partial.PopHead() is { } slab)
        {
            PutPartial(slab);
        }
    }

    private void AddPartial(Slab slab, bool tail)
    {
        var list = _nodePartial[slab.Node];
        if (tail)
        {
            list.AddTail(slab);
        }
        else
        {
            list.AddHead(slab);
        }
        slab.State = SlabState.NodePartial;
    }

    private void MakeFull(Slab slab)
    {
        _nodeFull[slab.Node].AddHead(slab);
        slab.State = SlabState.Full;
    }

    /// <summary>discard_slab / free_slab: consistency checks on debug caches, then back to the page source.</summary>
    private void Discard(Slab slab)
    {
        slab.List?.Remove(slab);
        _nodeSlabs[slab.Node]--;
        _nodeObjects[slab.Node] -= slab.Objects;
        if ((Cache.Flags & SlabFlags.ConsistencyChecks) != 0 && slab.Bytes is not null)
        {
            SlabPadCheck(slab);
            for (var i = 0; i < slab.Objects; i++)
            {
                CheckObject(slab, i, RedInactive);
            }
        }
        slab.State = SlabState.Discarded;
        PageMap.Remove(slab.Pfn, slab.Order);
        Pages.FreePages(slab.Pfn, slab.Order);
        PagesInUse -= 1L << slab.Order;
        Stats.FreeSlab++;
    }
}
