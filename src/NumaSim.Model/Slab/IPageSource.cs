using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Slab;

/// <summary>
/// Where slab pages and large kmalloc pages come from: the only way the slab model gets memory. The caller backs it
/// with the page allocator (alloc_pages_node / __free_pages); tests use a fake.
/// </summary>
public interface IPageSource
{
    /// <summary>alloc_pages_node(node, gfp, order). <paramref name="gfp"/> carries __GFP_THISNODE when the
    /// allocation must not leave <paramref name="node"/>; <paramref name="servedNode"/> is where the block landed.</summary>
    bool TryAllocatePages(int node, int order, Gfp gfp, out long pfn, out int servedNode);

    /// <summary>__free_pages(page, order) for a block this source handed out.</summary>
    void FreePages(long pfn, int order);
}
