namespace NumaSim.Model.PageAlloc;

/// <summary>Modeled costs in simulated nanoseconds; remote ones scale by distance / 10.</summary>
public sealed record LatencyModel(
    long DramLocalNs,
    long PcpAllocNs,
    long PcpFreeNs,
    long BuddyOpNs,
    long ZoneMessageNs,
    long DirectReclaimNs)
{
    public static LatencyModel Default { get; } = new(90, 40, 30, 120, 100, 20_000);

    /// <summary>A TLB lookup that hits.</summary>
    public long TlbHitNs { get; init; } = 1;

    /// <summary>Exception entry, VMA lookup and return of a page fault (the handler's fixed cost).</summary>
    public long FaultEntryNs { get; init; } = 600;

    /// <summary>Clearing a freshly allocated page (clear_page of 4 KiB at ~16 GB/s).</summary>
    public long PageZeroNs { get; init; } = 250;

    /// <summary>A software-refilled TLB's trap into the refill handler (MIPS-style), paid on every miss.</summary>
    public long TlbRefillTrapNs { get; init; } = 150;

    /// <summary>One way, an inter-processor interrupt at distance 10 (TLB shootdown and its acknowledgement).</summary>
    public long IpiNs { get; init; } = 1_000;

    /// <summary>Moving a task to another CPU (dequeue, enqueue, context switch) at distance 10.</summary>
    public long MigrationNs { get; init; } = 5_000;

    /// <summary>kmem_cache_alloc from the CPU's active slab (SLUB's lockless fast path).</summary>
    public long SlabAllocNs { get; init; } = 20;

    /// <summary>kmem_cache_free into the CPU's active slab, or onto a slab's freelist.</summary>
    public long SlabFreeNs { get; init; } = 15;

    /// <summary>Reclaim's work per page it scans (isolate, look at its references, unmap it, swap it or drop the clean cache page, free it).</summary>
    public long ReclaimScanNs { get; init; } = 400;

    /// <summary>Reading one page of a file from storage into the page cache (4 KiB at ~4 GB/s).</summary>
    public long FileReadNs { get; init; } = 1_000;

    /// <summary>
    /// Writing one page to the swap device (swap_writepage): reclaim's request to unmap a folio reaches the CPU
    /// that maps it when the write is done, which is also the floor of that link for the clock.
    /// </summary>
    public long SwapWriteNs { get; init; } = 20_000;

    /// <summary>copy_page_to_iter: one cached page copied to the reader's buffer.</summary>
    public long FileCopyNs { get; init; } = 250;

    /// <summary>move_to_new_folio: copying one 4 KiB page between two nodes at distance 10 (scaled by their distance).</summary>
    public long MigrateCopyNs { get; init; } = 500;

    /// <summary>A one-way message between a CPU and a zone at this SLIT distance.</summary>
    public long ZoneMessage(int distance) => ZoneMessageNs * distance / 10;

    /// <summary>One memory access (data or a page-table level) to a node at this distance.</summary>
    public long Dram(int distance) => DramLocalNs * distance / 10;

    public long Ipi(int distance) => IpiNs * distance / 10;

    /// <summary>The smallest latency of any message between two actors: the window lookahead.</summary>
    public long Lookahead => Math.Min(ZoneMessageNs, Math.Min(IpiNs, MigrationNs));
}
