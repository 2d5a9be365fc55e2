namespace NumaSim.Model.Slab;

/// <summary>
/// virt_to_slab / virt_to_folio for the model: pfn to the slab (or large kmalloc block) on that page. Caches that
/// share a map can free each other's objects through kfree, as in the kernel.
/// </summary>
public sealed class SlabPageMap
{
    private readonly Dictionary<long, SlabPageEntry> _pages = [];
    private SlobHeap? _slob;

    /// <summary>Pages currently holding slabs or large kmalloc blocks.</summary>
    public int PageCount => _pages.Count;

    /// <summary>The SLOB heap of the kernel this map belongs to: SLOB's free lists are global, so every SLOB cache
    /// (and kmalloc) on one map shares them and the page source they grow from.</summary>
    internal SlobHeap Slob(IPageSource source, int pageSize, KernelTaint taint)
    {
        if (_slob is null)
        {
            _slob = new SlobHeap(this, source, pageSize, taint);
        }
        else if (!ReferenceEquals(_slob.Pages, source) || _slob.PageSize != pageSize)
        {
            throw new ArgumentException("SLOB caches sharing a page map must share its page source and page size.", nameof(source));
        }
        return _slob;
    }

    /// <summary>The SLOB heap if a SLOB cache was created on this map.</summary>
    internal SlobHeap? SlobHeapIfAny => _slob;

    internal void AddSlab(ISlabPageOwner owner, Slab slab)
    {
        var entry = new SlabPageEntry(owner, slab, slab.Pfn, -1, slab.Node);
        for (var i = 0L; i < 1L << slab.Order; i++)
        {
            _pages.Add(slab.Pfn + i, entry);
        }
    }

    /// <summary>A block the owner manages without struct slab (SLOB's pages).</summary>
    internal void AddOwned(ISlabPageOwner owner, long pfn, int order, int node)
    {
        var entry = new SlabPageEntry(owner, null, pfn, order, node);
        for (var i = 0L; i < 1L << order; i++)
        {
            _pages.Add(pfn + i, entry);
        }
    }

    internal void AddLarge(long pfn, int order, int node)
    {
        var entry = new SlabPageEntry(null, null, pfn, order, node);
        for (var i = 0L; i < 1L << order; i++)
        {
            _pages.Add(pfn + i, entry);
        }
    }

    internal void Remove(long headPfn, int order)
    {
        for (var i = 0L; i < 1L << order; i++)
        {
            _pages.Remove(headPfn + i);
        }
    }

    internal bool TryGet(ObjectAddress address, int pageSize, out SlabPageEntry entry)
    {
        entry = default;
        return address.TryGetPfn(pageSize, out var pfn) && _pages.TryGetValue(pfn, out entry);
    }
}
