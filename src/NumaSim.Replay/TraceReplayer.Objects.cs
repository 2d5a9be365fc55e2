using System.Runtime.CompilerServices;
using NumaSim.Formats.Trace;
using NumaSim.Model.Slab;

namespace NumaSim.Replay;

/// <summary>kmalloc, kmem_cache_alloc, kfree and kmem_cache_free: traced ptr -> simulated object, through the SLUB model.</summary>
public sealed partial class TraceReplayer
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Kmalloc(int cpu, KmallocEvent k)
    {
        _n.BytesAllocChecked++;
        if (k.Ptr == 0)
        {
            _n.ObjectAllocsFailedInTrace++;
            CheckBytesAlloc(_slabs.BytesAlloc(k.BytesReq, k.Gfp), k.BytesAlloc);
            return;
        }
        ReleaseLive(cpu, k.Ptr);
        _n.ObjectAllocs++;
        var node = NodeOrAny(k.Node);
        EnterSlab(cpu, node);
        var result = _slabs.Kmalloc.Kmalloc(cpu, k.BytesReq, k.Gfp, node);
        CheckBytesAlloc(result.BytesAlloc, k.BytesAlloc);
        Track(k.Ptr, result.Succeeded ? result.Address : ObjectAddress.Null);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void KmemCacheAlloc(int cpu, KmemCacheAllocEvent c)
    {
        if (c.Ptr == 0)
        {
            _n.ObjectAllocsFailedInTrace++;
            return;
        }
        ReleaseLive(cpu, c.Ptr);
        _n.ObjectAllocs++;
        var node = NodeOrAny(c.Node);
        EnterSlab(cpu, node);
        var address = ObjectAddress.Null;
        if (_slabs.Cache(c.CacheName, c.BytesAlloc) is { } cache)
        {
            cache.Allocate(cpu, node, c.Gfp, out address, (int)Math.Min(c.BytesReq, int.MaxValue));
        }
        Track(c.Ptr, address);
    }

    private void CheckBytesAlloc(long model, long traced)
    {
        if (model != traced)
        {
            _n.BytesAllocMismatches++;
        }
    }

    /// <summary>Remembers ptr -> object; a failed model allocation is remembered as NULL so its free is dropped.</summary>
    private void Track(ulong ptr, ObjectAddress address)
    {
        if (address.IsNull)
        {
            _n.ObjectAllocFailures++;
        }
        if (ptr > 16 && address != ObjectAddress.ZeroSizePtr)
        {
            _tracedObjects.Add(ptr, address);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ObjectFree(int cpu, ulong ptr)
    {
        if (ptr <= 16)
        {
            // kfree(NULL) and kfree(ZERO_SIZE_PTR) are traced and do nothing.
            _n.NullFrees++;
            return;
        }
        if (!_tracedObjects.Remove(ptr, out var address))
        {
            _n.ObjectFreesUnmatched++;
            return;
        }
        if (address.IsNull)
        {
            return;
        }
        _n.ObjectFrees++;
        FreeObject(cpu, address);
    }

    /// <summary>A traced ptr allocated again without a free in between: the trace lost the free, so apply it now.</summary>
    private void ReleaseLive(int cpu, ulong ptr)
    {
        if (_tracedObjects.Remove(ptr, out var stale))
        {
            _n.AllocsOverLive++;
            if (!stale.IsNull)
            {
                FreeObject(cpu, stale);
            }
        }
    }

    private void FreeObject(int cpu, ObjectAddress address)
    {
        EnterSlab(cpu, -1);
        if (!_slabs.Kmalloc.Kfree(cpu, address))
        {
            var report = _slabs.DrainReports().FirstOrDefault();
            Error("kfree", report is null ? $"the slab model refused to free {address}" : $"{report.Kind} in {report.Cache} at {report.Address}");
        }
    }

    private void EnterSlab(int cpu, int node)
    {
        _pages.Cpu = cpu;
        _pages.FollowPolicy = node < 0;
    }

    /// <summary>A node the simulated machine lacks becomes NUMA_NO_NODE.</summary>
    private int NodeOrAny(int node) => node >= 0 && node < _nodes ? node : -1;
}
