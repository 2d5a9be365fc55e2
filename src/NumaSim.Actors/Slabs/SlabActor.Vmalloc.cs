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
/// vmalloc is the model's <see cref="VmallocNodeRange"/>: each page it asks for goes through this
/// front-end's page path, and what it returns is counted, freed or reported here; vfree unmaps,
/// gives the pages back and flushes every CPU's TLB by IPI, waiting for all acknowledgements.
/// </summary>
public sealed partial class SlabActor
{
    /// <summary>The TLB tag of kernel (init_mm) translations: no task has it.</summary>
    private const int KernelAddressSpace = -1;

    /// <summary>What the scenario's vmalloc calls name as their caller in /proc/vmallocinfo.</summary>
    private const string Caller = "numasim_vmalloc+0x2c/0x40";

    private VmallocNodeRange? _vmalloc;
    private VmallocStep? _vmallocStep;

    private VmallocNodeRange Vmallocs => _vmalloc ??= new VmallocNodeRange(CreateVmallocArea(), _topology.ManagedPages);

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
        // A repeated attempt resumes at the page the last one waited for.
        var step = _vmallocStep ?? Vmallocs.Begin(call.Size, call.Gfp, call.Node, _node, Caller, Comm);
        while (step.Kind == VmallocStepKind.NeedPage)
        {
            if (_pages.TryAllocatePages(step.Node, 0, step.Gfp, out var pfn, out var node))
            {
                step = Vmallocs.Resume(pfn, node);
            }
            else if (_pages.Pending is not null)
            {
                _vmallocStep = step;
                return Outcome.NeedsPages;
            }
            else
            {
                step = Vmallocs.Resume(-1, -1);
            }
        }
        _vmallocStep = null;
        if (step.Warning is { } warning)
        {
            AddError(new SimError("vmalloc_failure", warning, _cpu, _now));
        }
        if (step.Kind == VmallocStepKind.Failed)
        {
            foreach (var pfn in step.Pages.Concat(step.Tables))
            {
                FreeSlabPage(pfn, 0);
            }
            return Outcome.Failed;
        }
        foreach (var pfn in step.UnusedTables)
        {
            FreeSlabPage(pfn, 0);
        }
        foreach (var pfn in step.Tables)
        {
            Reassign(pfn, PageUse.PageTable);
        }
        foreach (var pfn in step.Pages)
        {
            Reassign(pfn, PageUse.Vmalloc);
        }
        var area = step.Area!;
        _result = new LiveObject(KernelOp.Vmalloc, new Model.Slab.ObjectAddress(area.Address), null);
        _zeroBytes = (call.Gfp & Gfp.Zero) != 0 ? (long)area.NrPages * _topology.Arch.PageSize : 0;
        return Outcome.Done;
    }

    private Outcome Vfree(KernelCall call)
    {
        var released = Vmallocs.Area.Release(call.Target?.Address.Value ?? 0);
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
    private void FlushKernelTlbs(long[] vpns) =>
        SendIpis([.. _topology.AllCpus], KernelAddressSpace, vpns, sent =>
        {
            _recorder.Record("vfree_tlb_flush", _now - sent);
            Finish(true);
        });

    /// <summary>Reserved areas as /proc/vmallocinfo lists them, with this slice's pages in use.</summary>
    private VmallocSnapshot? VmallocState() => _vmalloc?.Area.Snapshot();
}
