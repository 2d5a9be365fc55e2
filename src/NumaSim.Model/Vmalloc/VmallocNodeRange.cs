using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Vmalloc;

/// <summary>
/// __vmalloc_node_range (mm/vmalloc.c) for one CPU's slice of the vmalloc range, as a step machine:
/// __get_vm_area_node reserves the area, vm_area_alloc_pages asks for its order-0 pages one alloc_pages_node at a
/// time, the kernel page table asks for the table pages the mapping adds (on the caller's node, zeroed), and
/// vmap_pages_range maps them. Each page is a <see cref="VmallocStepKind.NeedPage"/> step the caller answers with
/// <see cref="Resume"/>; the actor answers once a zone has, <see cref="VmallocDriver"/> at once. One call at a time.
/// </summary>
public sealed class VmallocNodeRange
{
    private readonly List<long> _pages = [];
    private readonly List<(long Pfn, int Node)> _tables = [];
    private readonly Dictionary<long, int> _pageNodes = [];
    private VmArea? _reserving;
    private VmallocStep? _pageStep;
    private VmallocStep? _tableStep;
    private int _tablesNeeded;
    private string _comm = string.Empty;
    private readonly long _totalRamPages;

    /// <param name="area">The CPU's slice of the vmalloc range and the kernel page table.</param>
    /// <param name="totalRamPages">totalram_pages(): a request for more is refused before anything is reserved.</param>
    public VmallocNodeRange(VmallocArea area, long totalRamPages = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(area);
        Area = area;
        _totalRamPages = totalRamPages;
    }

    public VmallocArea Area { get; }

    /// <summary>Whether a call waits for a page.</summary>
    public bool InProgress => _reserving is not null;

    /// <summary>
    /// vmalloc_node(size) with <paramref name="gfp"/> for the data pages on <paramref name="node"/> (-1:
    /// NUMA_NO_NODE); the table pages come from <paramref name="tableNode"/>. <paramref name="caller"/> is what
    /// /proc/vmallocinfo shows; <paramref name="comm"/> is the task warn_alloc names.
    /// </summary>
    public VmallocStep Begin(long size, Gfp gfp, int node, int tableNode, string caller, string comm)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(comm);
        if (_reserving is not null)
        {
            throw new InvalidOperationException("vmalloc is already waiting for a page");
        }
        if (size <= 0)
        {
            return new VmallocStep(VmallocStepKind.Failed);
        }
        if (size >> Area.Mode.PageShift > _totalRamPages)
        {
            return new VmallocStep(VmallocStepKind.Failed) { Warning = VmallocWarnings.ExceedsTotalPages(size) };
        }
        var area = Area.Reserve(size, caller);
        if (area is null)
        {
            return new VmallocStep(VmallocStepKind.Failed) { Warning = VmallocWarnings.VmapAllocationFailed(size + Area.Mode.PageSize) };
        }
        _reserving = area;
        _comm = comm;
        _pages.Clear();
        _tables.Clear();
        _pageNodes.Clear();
        _tablesNeeded = -1;
        _pageStep = new VmallocStep(VmallocStepKind.NeedPage) { Node = node, Gfp = gfp };
        _tableStep = new VmallocStep(VmallocStepKind.NeedPage) { Node = tableNode, Gfp = Gfp.Kernel | Gfp.Zero };
        return Advance();
    }

    /// <summary>The answer to the last <see cref="VmallocStepKind.NeedPage"/>: the page on
    /// <paramref name="node"/>, or pfn -1 when it was refused (the call then fails, as vm_area_alloc_pages gives up
    /// at the first page it cannot get).</summary>
    public VmallocStep Resume(long pfn, int node)
    {
        var area = _reserving ?? throw new InvalidOperationException("vmalloc is not waiting for a page");
        if (pfn < 0)
        {
            return Abandon(area);
        }
        if (_pages.Count < area.NrPages)
        {
            _pages.Add(pfn);
            _pageNodes[pfn] = node;
        }
        else
        {
            _tables.Add((pfn, node));
        }
        return Advance();
    }

    private VmallocStep Advance()
    {
        var area = _reserving!;
        if (_pages.Count < area.NrPages)
        {
            return _pageStep!;
        }
        if (_tablesNeeded < 0)
        {
            _tablesNeeded = Area.TablesNeeded(area);
        }
        if (_tables.Count < _tablesNeeded)
        {
            return _tableStep!;
        }
        var mapped = Area.Map(area, _pages, pfn => _pageNodes[pfn], _tables);
        var tables = new long[mapped.TablesUsed];
        for (var i = 0; i < tables.Length; i++)
        {
            tables[i] = _tables[i].Pfn;
        }
        _reserving = null;
        return new VmallocStep(VmallocStepKind.Done)
        {
            Area = area,
            Pages = [.. _pages],
            Tables = tables,
            UnusedTables = [.. mapped.UnusedTables.Select(t => t.Pfn)],
        };
    }

    /// <summary>Not all pages came: the area is released and the kernel says so (warn_alloc in
    /// __vmalloc_area_node); the caller frees what was gathered.</summary>
    private VmallocStep Abandon(VmArea area)
    {
        var warning = $"{_comm}: {VmallocWarnings.FailedToAllocatePages((long)_pages.Count * Area.Mode.PageSize)}";
        Area.Release(area.Address);
        _reserving = null;
        return new VmallocStep(VmallocStepKind.Failed)
        {
            Warning = warning,
            Pages = [.. _pages],
            Tables = [.. _tables.Select(t => t.Pfn)],
        };
    }
}
