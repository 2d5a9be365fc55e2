namespace NumaSim.Model.Snapshots;

/// <summary>
/// The vmalloc area as plain data: its range (End is VMALLOC_END, the last byte), the page size, the number of
/// vmap nodes the busy areas are spread over (6.9+: one per possible CPU, at most 128; vmallocinfo walks them in
/// turn), vmalloc_nr_pages() and every reserved area.
/// </summary>
public sealed record VmallocSnapshot(
    ulong Start,
    ulong End,
    int PageSize,
    int VmapNodes,
    long NrPages,
    IReadOnlyList<VmAreaSnapshot> Areas)
{
    /// <summary>meminfo VmallocTotal: VMALLOC_TOTAL &gt;&gt; 10.</summary>
    public long VmallocTotalKb => (long)((End - Start) >> 10);

    /// <summary>meminfo VmallocUsed: vmalloc_nr_pages() &lt;&lt; (PAGE_SHIFT - 10).</summary>
    public long VmallocUsedKb => NrPages * PageSize / 1024;

    /// <summary>meminfo VmallocChunk: always 0 in 6.x (the kernel no longer computes the largest free chunk).</summary>
    public long VmallocChunkKb => 0;
}
