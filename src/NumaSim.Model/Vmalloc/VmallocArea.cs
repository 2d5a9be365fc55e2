using NumaSim.Model.Mmu;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Vmalloc;

/// <summary>
/// The kernel's vmalloc area (mm/vmalloc.c) in three steps, so that a caller can fetch pages asynchronously in
/// between: <see cref="Reserve"/> places a vm_struct (alloc_vmap_area: lowest-address first fit, a guard page after
/// it); <see cref="Map"/> takes the order-0 pages the caller got, from any nodes, and installs kernel PTEs for them
/// (vmap_pages_range), with page-table pages the caller supplies as <see cref="TablesNeeded"/> says, as
/// <see cref="AddressSpace"/> does for faults; <see cref="Release"/> is vfree: it unmaps, gives back the pages and
/// the virtual pages to flush from every TLB, and frees the range.
/// <para>
/// Not modelled: the lazy purge. The kernel keeps a vfree'd range on a purge list (vmallocinfo's "unpurged
/// vm_area" lines) and flushes TLBs in batches once lazy_max_pages() is exceeded; here the flush is due at once and
/// the range is reusable at once. Page-table pages stay once built, as the kernel's do.
/// </para>
/// </summary>
public sealed class VmallocArea
{
    /// <summary>PAGE_KERNEL: present, read/write, accessed, dirty; no user access, no execution.</summary>
    private const PteFlags PageKernel = PteFlags.Present | PteFlags.Read | PteFlags.Write | PteFlags.Accessed | PteFlags.Dirty;

    /// <summary>vmap_init_nodes clamps the number of vmap nodes to the possible CPUs, at most 128.</summary>
    private const int MaxVmapNodes = 128;

    private readonly List<VmArea> _busy = [];
    private readonly VmapFreeList _free;
    private readonly int _pageShift;
    private readonly long _vpnMask;

    /// <param name="range">VMALLOC_START and VMALLOC_END.</param>
    /// <param name="kernelPageTable">init_mm's page table, where the mappings go; its mode gives the page size.</param>
    /// <param name="possibleCpus">num_possible_cpus(): how many vmap nodes vmallocinfo walks (6.9+).</param>
    public VmallocArea(VmallocRange range, PageTable kernelPageTable, int possibleCpus = 1)
    {
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(kernelPageTable);
        ArgumentOutOfRangeException.ThrowIfLessThan(possibleCpus, 1);
        Mode = kernelPageTable.Mode;
        _pageShift = Mode.PageShift;
        _vpnMask = Mode.MaxVirtualPage - 1;
        if ((range.Start & (ulong)(Mode.PageSize - 1)) != 0 || range.End <= range.Start)
        {
            throw new ArgumentException($"VMALLOC_START 0x{range.Start:x16} must be page aligned and below VMALLOC_END 0x{range.End:x16}", nameof(range));
        }
        Range = range;
        PageTable = kernelPageTable;
        VmapNodes = Math.Min(possibleCpus, MaxVmapNodes);
        _free = new VmapFreeList(range.Start, range.End);
    }

    /// <summary>The x86-64 vmalloc area of the architecture, with a new kernel page table rooted at the given page.</summary>
    public static VmallocArea For(Architecture architecture, long pgdPfn, int pgdNode, int possibleCpus = 1)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return new VmallocArea(VmallocRange.For(architecture), new PageTable(architecture.Paging, pgdPfn, pgdNode), possibleCpus);
    }

    public VmallocRange Range { get; }

    public PagingMode Mode { get; }

    /// <summary>init_mm's page table: the kernel mappings, with the page-table pages they needed.</summary>
    public PageTable PageTable { get; }

    public int VmapNodes { get; }

    /// <summary>Reserved areas, populated or not, in address order.</summary>
    public IReadOnlyList<VmArea> Areas => _busy;

    /// <summary>vmalloc_nr_pages(): pages of populated areas.</summary>
    public long NrPages { get; private set; }

    /// <summary>meminfo VmallocUsed: vmalloc_nr_pages() &lt;&lt; (PAGE_SHIFT - 10).</summary>
    public long VmallocUsedKb => NrPages << (_pageShift - 10);

    /// <summary>meminfo VmallocTotal: VMALLOC_TOTAL &gt;&gt; 10.</summary>
    public long VmallocTotalKb => (long)(Range.Total >> 10);

    /// <summary>meminfo VmallocChunk: 0 in 6.x.</summary>
    public long VmallocChunkKb => 0;

    /// <summary>
    /// __get_vm_area_node for vmalloc: PAGE_ALIGN(size) plus a guard page, at the lowest free address that holds
    /// them. Null when the range has no such room (the caller prints <see cref="VmallocWarnings.VmapAllocationFailed"/>
    /// and <see cref="VmallocWarnings.VmStructAllocationFailed"/>). vmalloc(0) and sizes beyond totalram are the
    /// caller's to refuse first, as __vmalloc_node_range does.
    /// </summary>
    public VmArea? Reserve(long size, string caller)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentNullException.ThrowIfNull(caller);
        // PAGE_ALIGN without the wrap of size + PAGE_SIZE - 1 near long.MaxValue.
        var pages = (size >> _pageShift) + ((size & (Mode.PageSize - 1)) != 0 ? 1 : 0);
        if (pages > int.MaxValue - 1)
        {
            // More than v->nr_pages (an unsigned int) holds, and than any vmalloc range: alloc_vmap_area finds no room.
            return null;
        }
        var withGuard = (pages + 1) << _pageShift;
        if (!_free.TryTake((ulong)withGuard, out var address))
        {
            return null;
        }
        var area = new VmArea(address, withGuard, size, (int)pages, Vpn(address), caller);
        _busy.Insert(~BinarySearch(address), area);
        return area;
    }

    /// <summary>The virtual page number of a kernel address as the page table and the TLBs key it: the page number within the paging mode's address width (the sign-extension bits dropped).</summary>
    public long Vpn(ulong address) => (long)(address >> _pageShift) & _vpnMask;

    /// <summary>find_vm_area: the area whose range (guard page included) holds the address.</summary>
    public VmArea? Find(ulong address)
    {
        var at = BinarySearch(address);
        if (at >= 0)
        {
            return _busy[at];
        }
        var before = ~at - 1;
        return before >= 0 && address < _busy[before].End ? _busy[before] : null;
    }

    /// <summary>Page-table pages that mapping the area would add to the kernel page table (to be allocated and handed to <see cref="Map"/>).</summary>
    public int TablesNeeded(VmArea area)
    {
        ArgumentNullException.ThrowIfNull(area);
        var first = area.FirstVpn;
        var last = area.FirstVpn + area.NrPages - 1;
        var needed = 0;
        // A table at level l (the root is level 0) covers the virtual pages sharing vpn >> ((Levels - l) * bits);
        // it is missing when the walk to it stops at least Levels - l tables short.
        for (var level = 1; level < Mode.Levels; level++)
        {
            var shift = (Mode.Levels - level) * Mode.BitsPerLevel;
            for (var prefix = first >> shift; prefix <= last >> shift; prefix++)
            {
                if (PageTable.MissingTables(prefix << shift) >= Mode.Levels - level)
                {
                    needed++;
                }
            }
        }
        return needed;
    }

    /// <summary>
    /// Populates a reserved area (__vmalloc_area_node after vm_area_alloc_pages): one PTE per page, in virtual order,
    /// pointing to <paramref name="pfns"/>[i] on node <paramref name="nodeOfPfn"/>(pfn). <paramref name="newTables"/>
    /// must hold at least <see cref="TablesNeeded"/> pages; the ones not needed come back in the result.
    /// </summary>
    public VmallocMapResult Map(VmArea area, IReadOnlyList<long> pfns, Func<long, int> nodeOfPfn, IReadOnlyList<(long Pfn, int Node)> newTables)
    {
        ArgumentNullException.ThrowIfNull(area);
        ArgumentNullException.ThrowIfNull(pfns);
        ArgumentNullException.ThrowIfNull(nodeOfPfn);
        ArgumentNullException.ThrowIfNull(newTables);
        var at = BinarySearch(area.Address);
        if (at < 0 || !ReferenceEquals(_busy[at], area))
        {
            throw new InvalidOperationException($"{area} is not reserved in this vmalloc area");
        }
        if (area.Populated)
        {
            throw new InvalidOperationException($"{area} is already populated");
        }
        if (pfns.Count != area.NrPages)
        {
            throw new ArgumentException($"{area} needs {area.NrPages} pages, got {pfns.Count}", nameof(pfns));
        }
        var needed = TablesNeeded(area);
        if (newTables.Count < needed)
        {
            throw new ArgumentException($"mapping {area} needs {needed} page-table pages, got {newTables.Count}", nameof(newTables));
        }

        var pagePfns = new long[pfns.Count];
        var pageNodes = new int[pfns.Count];
        for (var i = 0; i < pagePfns.Length; i++)
        {
            pagePfns[i] = pfns[i];
            pageNodes[i] = nodeOfPfn(pfns[i]);
            if (pageNodes[i] < 0)
            {
                throw new ArgumentException($"pfn 0x{pfns[i]:x} has no node", nameof(nodeOfPfn));
            }
        }

        var tables = newTables as (long Pfn, int Node)[] ?? [.. newTables];
        var used = 0;
        for (var i = 0; i < pagePfns.Length; i++)
        {
            var vpn = area.FirstVpn + i;
            var missing = PageTable.MissingTables(vpn);
            PageTable.Install(vpn, new Pte(pagePfns[i], pageNodes[i], PageKernel), new ArraySegment<(long Pfn, int Node)>(tables, used, missing));
            used += missing;
        }
        area.Populate(pagePfns, pageNodes);
        NrPages += area.NrPages;
        return new VmallocMapResult(used, tables[used..]);
    }

    /// <summary>
    /// vfree(address): remove_vm_area finds the area whose range holds the address (any page of it, the guard page
    /// included, as __find_vmap_area does), clears its PTEs and frees its range; the caller frees the returned
    /// pages and flushes the returned virtual pages on every CPU (flush_tlb_kernel_range). An unpopulated area
    /// (its pages never all came) is freed with no pages and nothing to flush.
    /// </summary>
    public VfreeResult Release(ulong address)
    {
        if (address == 0)
        {
            return VfreeResult.Nothing(VfreeStatus.Null, address);
        }
        if ((address & (ulong)(Mode.PageSize - 1)) != 0)
        {
            return VfreeResult.Nothing(VfreeStatus.BadAddress, address);
        }
        if (Find(address) is not { } area)
        {
            return VfreeResult.Nothing(VfreeStatus.Nonexistent, address);
        }

        var pages = new (long Pfn, int Node)[area.Populated ? area.NrPages : 0];
        var flush = new long[pages.Length];
        for (var i = 0; i < pages.Length; i++)
        {
            var vpn = area.FirstVpn + i;
            var pte = PageTable.Clear(vpn) ?? throw new InvalidOperationException($"{area}: no PTE at page {i}");
            pages[i] = (pte.Pfn, pte.Node);
            flush[i] = vpn;
        }
        if (area.Populated)
        {
            NrPages -= area.NrPages;
        }
        _busy.RemoveAt(BinarySearch(area.Address));
        _free.Give(area.Address, area.End);
        return new VfreeResult(VfreeStatus.Freed, address, area, pages, flush);
    }

    /// <summary>The areas and counters as plain data for the renderers.</summary>
    public VmallocSnapshot Snapshot()
    {
        var areas = new VmAreaSnapshot[_busy.Count];
        for (var i = 0; i < areas.Length; i++)
        {
            var area = _busy[i];
            var perNode = area.Nodes.Count == 0 ? [] : new int[area.Nodes.Max() + 1];
            foreach (var node in area.Nodes)
            {
                perNode[node]++;
            }
            areas[i] = new VmAreaSnapshot(area.Address, area.Size, area.Caller, area.NrPages, perNode, area.Populated);
        }
        return new VmallocSnapshot(Range.Start, Range.End, (int)Mode.PageSize, VmapNodes, NrPages, areas);
    }

    /// <summary>The index of the area starting at address, or the complement of where it would go.</summary>
    private int BinarySearch(ulong address)
    {
        int lo = 0, hi = _busy.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            var start = _busy[mid].Address;
            if (start == address)
            {
                return mid;
            }
            if (start < address)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return ~lo;
    }
}
