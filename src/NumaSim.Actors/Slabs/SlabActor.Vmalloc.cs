using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.Kernel;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Vmalloc;
using NumaSim.Telemetry.Tracing;
using NumaSim.Workloads.Kernel;

namespace NumaSim.Actors.Slabs;

/// <summary>
/// vmalloc and vfree. Each CPU's front-end owns an equal slice of the vmalloc range (as each CPU
/// owns its vmap blocks), so the areas of different CPUs never overlap and no state is shared.
/// vmalloc gathers order-0 pages one by one from the page allocator (and the kernel page-table
/// pages the mapping needs), then maps them; vfree unmaps, gives the pages back and flushes
/// every CPU's TLB by IPI, waiting for all acknowledgements.
/// </summary>
public sealed partial class SlabActor
{
    /// <summary>The TLB tag of kernel (init_mm) translations: no task has it.</summary>
    private const int KernelAddressSpace = -1;

    /// <summary>What the scenario's vmalloc calls name as their caller in /proc/vmallocinfo.</summary>
    private const string Caller = "numasim_vmalloc+0x2c/0x40";

    private readonly List<long> _vmallocPages = [];
    private readonly List<(long Pfn, int Node)> _vmallocTables = [];
    private VmallocArea? _vmalloc;
    private VmArea? _reserving;
    private int _acksAwaited;
    private long _flushSent;

    private VmallocArea Area => _vmalloc ??= CreateVmallocArea();

    private VmallocArea CreateVmallocArea()
    {
        var whole = VmallocRange.For(_topology.Arch);
        // Slices of a whole number of GiB, so that no two CPUs share a page-table page below the PUD level.
        var slice = whole.Total / (ulong)_topology.CpuIds >> 30 << 30;
        var start = whole.Start + slice * (ulong)_cpu;
        // The kernel's top-level table (swapper_pg_dir) is in the kernel image, on node 0.
        var table = new Model.Mmu.PageTable(_topology.Arch.Paging, 0, 0);
        return new VmallocArea(new VmallocRange(start, start + slice - 1), table, _topology.CpuCount);
    }

    private Outcome ExecuteVmalloc(KernelCall call) => call.Op switch
    {
        KernelOp.Vmalloc => Vmalloc(call),
        KernelOp.Vfree => Vfree(call),
        _ => throw new InvalidOperationException($"{call.Op} is not a kernel call"),
    };

    private Outcome Vmalloc(KernelCall call)
    {
        if (_reserving is null)
        {
            if (call.Size <= 0)
            {
                return Outcome.Failed;
            }
            if (call.Size >> _topology.Arch.PageShift > _topology.ManagedPages)
            {
                AddError(new SimError("vmalloc_failure", VmallocWarnings.ExceedsTotalPages(call.Size), _cpu, _now));
                return Outcome.Failed;
            }
            _reserving = Area.Reserve(call.Size, Caller);
            if (_reserving is null)
            {
                AddError(new SimError("vmalloc_failure", VmallocWarnings.VmapAllocationFailed(call.Size + _topology.Arch.PageSize), _cpu, _now));
                return Outcome.Failed;
            }
            _vmallocPages.Clear();
            _vmallocTables.Clear();
        }
        var area = _reserving;
        // Each page is its own alloc_pages_node call; a repeated attempt resumes where the last one stopped.
        while (_vmallocPages.Count < area.NrPages)
        {
            if (!_pages.TryAllocatePages(call.Node, 0, call.Gfp, out var pfn, out _))
            {
                return _pages.Pending is not null ? Outcome.NeedsPages : AbandonVmalloc(area);
            }
            _vmallocPages.Add(pfn);
        }
        var needed = Area.TablesNeeded(area);
        while (_vmallocTables.Count < needed)
        {
            if (!_pages.TryAllocatePages(_node, 0, Gfp.Kernel | Gfp.Zero, out var pfn, out var node))
            {
                return _pages.Pending is not null ? Outcome.NeedsPages : AbandonVmalloc(area);
            }
            _vmallocTables.Add((pfn, node));
        }
        var mapped = Area.Map(area, _vmallocPages, pfn => Model.Topology.ZoneIndex.Node(_pageOwners[pfn].Zone), _vmallocTables);
        foreach (var (pfn, _) in mapped.UnusedTables)
        {
            FreeSlabPage(pfn, 0);
        }
        foreach (var (pfn, _) in _vmallocTables.Take(mapped.TablesUsed))
        {
            Reassign(pfn, PageUse.PageTable);
        }
        foreach (var pfn in _vmallocPages)
        {
            Reassign(pfn, PageUse.Vmalloc);
        }
        _reserving = null;
        _result = new LiveObject(KernelOp.Vmalloc, new Model.Slab.ObjectAddress(area.Address), null);
        _zeroBytes = (call.Gfp & Gfp.Zero) != 0 ? (long)area.NrPages * _topology.Arch.PageSize : 0;
        return Outcome.Done;
    }

    /// <summary>Not all pages came: what was gathered goes back, the area is released, and the kernel says so.</summary>
    private Outcome AbandonVmalloc(VmArea area)
    {
        AddError(new SimError("vmalloc_failure",
            $"{Comm}: {VmallocWarnings.FailedToAllocatePages((long)_vmallocPages.Count * _topology.Arch.PageSize)}", _cpu, _now));
        foreach (var pfn in _vmallocPages)
        {
            FreeSlabPage(pfn, 0);
        }
        foreach (var (pfn, _) in _vmallocTables)
        {
            FreeSlabPage(pfn, 0);
        }
        _vmallocPages.Clear();
        _vmallocTables.Clear();
        Area.Release(area.Address);
        _reserving = null;
        return Outcome.Failed;
    }

    private Outcome Vfree(KernelCall call)
    {
        var released = Area.Release(call.Target?.Address.Value ?? 0);
        if (released.Warning is { } warning)
        {
            AddError(new SimError("bad_vfree", warning, _cpu, _now));
        }
        foreach (var (pfn, _) in released.Pages)
        {
            FreeSlabPage(pfn, 0);
        }
        if (released.FlushVpns.Length == 0)
        {
            return Outcome.Done;
        }
        FlushKernelTlbs(released.FlushVpns);
        return Outcome.AwaitsFlush;
    }

    /// <summary>
    /// flush_tlb_kernel_range: every CPU flushes. on_each_cpu runs the flush on this CPU directly and interrupts the
    /// others, so only they count as IPIs; this CPU's TLB still lives in its CPU actor and gets the message too.
    /// </summary>
    private void FlushKernelTlbs(long[] vpns)
    {
        _flushSpan = Spans.StartShootdown(_topology.AllCpus, Epoch, _now);
        var traceparent = SimSpans.Traceparent(_flushSpan);
        foreach (var cpu in _topology.AllCpus)
        {
            var distance = _topology.DistanceBetween(_node, _topology.NodeOfCpu(cpu));
            Outbox.Send(ComponentIds.Cpu(cpu), _now + _latency.Ipi(distance), NotBefore, new TlbShootdown(_cpu, KernelAddressSpace, vpns, ComponentId) { Traceparent = traceparent });
            _acksAwaited++;
            if (cpu != _cpu)
            {
                _ipisSent++;
            }
        }
        _flushSent = _now;
        _blockEpisode++;
    }

    private void OnFlushAck(long time)
    {
        _now = Math.Max(_now, time);
        if (--_acksAwaited == 0)
        {
            _recorder.Record("vfree_tlb_flush", _now - _flushSent);
            EndFlushSpan();
            Finish(true);
        }
    }

    /// <summary>Reserved areas as /proc/vmallocinfo lists them, with this slice's pages in use.</summary>
    private VmallocSnapshot? VmallocState() => _vmalloc?.Snapshot();
}
