using NumaSim.Model.PageAlloc;

namespace NumaSim.Formats.Trace;

/// <summary>
/// kmem_cache_alloc (and kmem_cache_alloc_node before 6.1): as kmalloc, with `name=%s` after ptr
/// in recent kernels.
/// </summary>
public sealed record KmemCacheAllocEvent : KmemEvent
{
    public required string CallSite { get; init; }

    public required ulong Ptr { get; init; }

    /// <summary>The cache name; null when the kernel does not print it.</summary>
    public string? CacheName { get; init; }

    public required long BytesReq { get; init; }

    public required long BytesAlloc { get; init; }

    public required Gfp Gfp { get; init; }

    public required string GfpText { get; init; }

    /// <summary>The parts of <see cref="GfpText"/> the model has no bit for, '|'-joined; null when none.</summary>
    public string? GfpUnknown { get; init; }

    public required int Node { get; init; }

    public required bool Accounted { get; init; }
}
