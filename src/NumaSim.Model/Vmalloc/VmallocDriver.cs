using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;

namespace NumaSim.Model.Vmalloc;

/// <summary>
/// vmalloc and vfree in one thread over a page source that answers at once: it runs the same
/// <see cref="VmallocNodeRange"/> the slab actor runs, for tests and benchmarks, and gives back to the page source
/// what the procedure does not keep.
/// </summary>
public sealed class VmallocDriver
{
    private readonly IPageSource _pages;
    private readonly int _tableNode;

    /// <param name="area">The vmalloc range and kernel page table.</param>
    /// <param name="pages">Where data and table pages come from and go back to.</param>
    /// <param name="tableNode">The node the page-table pages are asked on.</param>
    public VmallocDriver(VmallocArea area, IPageSource pages, int tableNode = 0)
    {
        ArgumentNullException.ThrowIfNull(pages);
        Procedure = new VmallocNodeRange(area);
        _pages = pages;
        _tableNode = tableNode;
    }

    public VmallocNodeRange Procedure { get; }

    public VmallocArea Area => Procedure.Area;

    /// <summary>vmalloc_node: the final step (<see cref="VmallocStepKind.Done"/> or
    /// <see cref="VmallocStepKind.Failed"/>, whose pages are already back with the page source).</summary>
    public VmallocStep Vmalloc(long size, Gfp gfp, int node = -1, string caller = "numasim_vmalloc+0x2c/0x40", string comm = "numasim")
    {
        var step = Procedure.Begin(size, gfp, node, _tableNode, caller, comm);
        while (step.Kind == VmallocStepKind.NeedPage)
        {
            step = _pages.TryAllocatePages(step.Node, 0, step.Gfp, out var pfn, out var served)
                ? Procedure.Resume(pfn, served)
                : Procedure.Resume(-1, -1);
        }
        var unused = step.Kind == VmallocStepKind.Done ? step.UnusedTables : [.. step.Pages, .. step.Tables];
        foreach (var pfn in unused)
        {
            _pages.FreePages(pfn, 0);
        }
        return step;
    }

    /// <summary>vfree: the area's pages go back to the page source; the result names the virtual pages every CPU
    /// must flush.</summary>
    public VfreeResult Vfree(ulong address)
    {
        var released = Area.Release(address);
        foreach (var (pfn, _) in released.Pages)
        {
            _pages.FreePages(pfn, 0);
        }
        return released;
    }
}
