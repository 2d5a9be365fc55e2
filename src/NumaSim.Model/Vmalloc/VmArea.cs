namespace NumaSim.Model.Vmalloc;

/// <summary>
/// A vm_struct of the vmalloc area: its first address, its size with the guard page (what vmallocinfo prints and
/// what the next area starts after), nr_pages, the caller (a %pS string) and, once populated, the page behind each
/// virtual page. Until <see cref="Populated"/> it is VM_UNINITIALIZED: vmallocinfo skips it and VmallocUsed does
/// not count it.
/// </summary>
public sealed class VmArea
{
    private long[] _pfns = [];
    private int[] _nodes = [];

    internal VmArea(ulong address, long size, long requestedSize, int nrPages, long firstVpn, string caller)
    {
        Address = address;
        Size = size;
        RequestedSize = requestedSize;
        NrPages = nrPages;
        FirstVpn = firstVpn;
        Caller = caller;
    }

    /// <summary>v->addr: the first byte, page aligned.</summary>
    public ulong Address { get; }

    /// <summary>v->size: the mapped pages plus the guard page.</summary>
    public long Size { get; }

    /// <summary>v->addr + v->size: the end of the guard page, where the next area may start.</summary>
    public ulong End => Address + (ulong)Size;

    /// <summary>The size vmalloc was asked for, before PAGE_ALIGN (real_size, as the vmalloc warnings print it).</summary>
    public long RequestedSize { get; }

    /// <summary>v->nr_pages: order-0 pages mapped from <see cref="Address"/> on, the guard page not included.</summary>
    public int NrPages { get; }

    /// <summary>The virtual page number of <see cref="Address"/> as the page table and the TLBs key it.</summary>
    public long FirstVpn { get; }

    /// <summary>v->caller, printed as given (e.g. "numasim_vmalloc+0x1c/0x40").</summary>
    public string Caller { get; }

    /// <summary>The pages are in and mapped (VM_UNINITIALIZED cleared).</summary>
    public bool Populated { get; private set; }

    /// <summary>v->pages as PFNs, in virtual order; empty until populated.</summary>
    public IReadOnlyList<long> Pfns => _pfns;

    /// <summary>page_to_nid of each page in <see cref="Pfns"/>.</summary>
    public IReadOnlyList<int> Nodes => _nodes;

    internal void Populate(long[] pfns, int[] nodes)
    {
        _pfns = pfns;
        _nodes = nodes;
        Populated = true;
    }

    public override string ToString() => $"0x{Address:x16}-0x{End:x16} {Size} {Caller} pages={NrPages}";
}
