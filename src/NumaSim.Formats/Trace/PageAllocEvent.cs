using NumaSim.Model.PageAlloc;

namespace NumaSim.Formats.Trace;

/// <summary>
/// mm_page_alloc: `page=%p pfn=0x%lx order=%d migratetype=%d gfp_flags=%s`. A failed allocation
/// prints a null page and pfn 0.
/// </summary>
public sealed record PageAllocEvent : KmemEvent
{
    /// <summary>The struct page pointer as printed (hashed unless the trace shows raw pointers).</summary>
    public required ulong Page { get; init; }

    public required ulong Pfn { get; init; }

    public required int Order { get; init; }

    /// <summary>The kernel's migratetype number (0 Unmovable, 1 Movable, 2 Reclaimable, 3 HighAtomic, ...).</summary>
    public required int MigrateType { get; init; }

    /// <summary>The gfp bits the model knows; see <see cref="GfpUnknown"/> for the rest.</summary>
    public required Gfp Gfp { get; init; }

    /// <summary>gfp_flags exactly as printed, e.g. "GFP_KERNEL|__GFP_ZERO", "none" or "0x400cc0".</summary>
    public required string GfpText { get; init; }

    /// <summary>The parts of <see cref="GfpText"/> the model has no bit for, '|'-joined; null when none.</summary>
    public string? GfpUnknown { get; init; }
}
