namespace NumaSim.Formats.Trace;

/// <summary>How the parser treats an event name.</summary>
internal enum KmemEventKind
{
    /// <summary>Not a kmem event the parser reads: counted and skipped.</summary>
    Other,
    Kmalloc,
    KmemCacheAlloc,
    Kfree,
    KmemCacheFree,
    PageAlloc,
    PageFree,

    /// <summary>
    /// mm_page_alloc_zone_locked, mm_page_pcpu_drain, mm_page_free_batched: checked, counted and
    /// skipped, as the same page also shows in mm_page_alloc or mm_page_free.
    /// </summary>
    PageRepeat,
}
