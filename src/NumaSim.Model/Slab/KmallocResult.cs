using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Slab;

/// <summary>
/// One kmalloc family call as the kmalloc trace event sees it: ptr, the cache (null for a large kmalloc or
/// ZERO_SIZE_PTR), bytes_req, bytes_alloc (s->size, or PAGE_SIZE &lt;&lt; order for a large kmalloc) and the node the
/// memory is on. <see cref="Zeroed"/> is set for kzalloc and __GFP_ZERO: the caller prices the zeroing.
/// </summary>
public readonly record struct KmallocResult(
    ObjectAddress Address,
    string? Cache,
    long BytesRequested,
    long BytesAlloc,
    Gfp Gfp,
    int Node,
    bool Zeroed,
    bool Large,
    int Order)
{
    /// <summary>Not NULL (kmalloc(0) succeeds with ZERO_SIZE_PTR).</summary>
    public bool Succeeded => !Address.IsNull;
}
