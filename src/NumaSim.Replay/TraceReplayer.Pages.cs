using System.Runtime.CompilerServices;
using NumaSim.Formats.Trace;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;

namespace NumaSim.Replay;

/// <summary>mm_page_alloc and mm_page_free: traced pfn -> simulated block.</summary>
public sealed partial class TraceReplayer
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PageAlloc(int cpu, PageAllocEvent a)
    {
        var type = a.Gfp.MigrateType();
        _n.MigratetypeChecked++;
        if ((int)type != a.MigrateType)
        {
            _n.MigratetypeMismatches++;
        }
        if (a.Page == 0)
        {
            // The traced kernel failed this allocation: there is no page to follow.
            _n.PageAllocsFailedInTrace++;
            return;
        }
        if (_tracedPages.Remove(a.Pfn, out var stale))
        {
            _n.AllocsOverLive++;
            FreeBlock(cpu, stale);
        }
        _n.PageAllocs++;
        var (pfn, zone) = a.Order <= _maxOrder ? _machine.Allocate(_cpus.CpuId(cpu), _requests.Policy(a.Order, a.Gfp)) : (-1, -1);
        if (pfn < 0)
        {
            // Remembered as not served, so that its free is neither applied nor unmatched.
            _n.PageAllocFailures++;
            _tracedPages.Add(a.Pfn, new SimBlock(-1, -1, a.Order, type));
            return;
        }
        if (ZoneIndex.Node(zone) != _cpus.Node(cpu))
        {
            _n.PageAllocsRemote++;
        }
        _tracedPages.Add(a.Pfn, new SimBlock(pfn, zone, a.Order, type));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PageFree(int cpu, PageFreeEvent f)
    {
        if (!_tracedPages.Remove(f.Pfn, out var block))
        {
            _n.PageFreesUnmatched++;
            return;
        }
        if (block.Zone < 0)
        {
            return;
        }
        _n.PageFrees++;
        if (f.Order != block.Order)
        {
            _n.PageFreeOrderMismatches++;
        }
        FreeBlock(cpu, block);
    }

    private void FreeBlock(int cpu, SimBlock block)
    {
        if (block.Zone >= 0 && !_machine.Free(_cpus.CpuId(cpu), block.Zone, block.Pfn, block.Order, block.Type))
        {
            Error("page_free", $"the page allocator refused to free pfn 0x{block.Pfn:x} order {block.Order}");
        }
    }
}
