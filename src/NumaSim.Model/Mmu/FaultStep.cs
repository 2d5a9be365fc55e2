using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Mmu;

/// <summary>
/// What the fault handler needs next: a page from the allocator, frees, a shootdown's acknowledgements, a swapped
/// page from the swap cache or the swap device, or nothing (done).
/// </summary>
public enum FaultStepKind
{
    Allocate,
    Free,
    Shootdown,
    SwapIn,
    Done,
}

/// <summary>How an operation of the fault handler ended.</summary>
public enum FaultResult
{
    TlbHit,
    Walk,
    Fault,
    Segfault,
    OomKilled,
    MmCreated,
    NoRoot,
    Unmapped,
    Protected,

    /// <summary>A NUMA hinting fault: the page was left where it is or migrated (FaultHandler.NumaHint).</summary>
    NumaHint,

    /// <summary>task_numa_work ran: NUMA balancing's scan marked PTEs PROT_NONE.</summary>
    NumaScanned,

    /// <summary>migrate_pages(2) ran: the task's pages moved between nodes (FaultHandler.MigratePages).</summary>
    PagesMigrated,
}

/// <summary>
/// One step of <see cref="FaultHandler"/>: the driver does what it asks (alloc_pages, the frees, the IPIs) and resumes
/// the handler at the CPU's clock then. <see cref="Now"/> is the CPU's clock when the handler stopped; what the step
/// asks for, or how the operation ended, the handler holds until it is resumed (<see cref="FaultHandler.Request"/>,
/// <see cref="FaultHandler.Blocks"/>, <see cref="FaultHandler.Flush"/>, <see cref="FaultHandler.Outcome"/>), which
/// keeps the step two words wide on the hot path.
/// </summary>
public readonly record struct FaultStep(FaultStepKind Kind, long Now);

/// <summary>
/// What a SwapIn step asks of the owner of the swap area and the LRU (do_swap_page's swap half,
/// <see cref="Swap.SwapIn"/>). With <see cref="Pfn"/> -1: the folio the swap cache holds for <see cref="Slot"/>, if
/// any. With a page (just allocated, in <see cref="Zone"/>): read the slot into it. Either way the owner answers
/// (FaultHandler.ResumeSwap) with the folio that will be mapped, having counted it mapped (SwapIn.Mapped, by
/// <see cref="Write"/>), or -1 when the cache had none; the handler then maps it, or allocates a page and asks again.
/// </summary>
public readonly record struct SwapInRequest(long Slot, long Pfn, int Zone, bool Write);

/// <summary>What a Shootdown step asks: the CPUs that may cache these entries of the address space, this one excepted.</summary>
public sealed record ShootdownRequest(int AddressSpace, long[] Vpns, IReadOnlyList<int> Targets);

/// <summary>
/// The end of one operation: for an access, the virtual page, where its page was (node, pfn, order), the mask a fault's page was
/// allocated with, and when the access started.
/// </summary>
public readonly record struct FaultOutcome(FaultResult Result, long Start, long Vpn, int Node, long Pfn, int Order, Gfp Gfp, bool Huge);

/// <summary>A block the fault path gives back: a data page (munmap kind) or a page-table page.</summary>
public readonly record struct FreedBlock(int Zone, long Pfn, int Order, MigrateType Type, bool PageTable);

/// <summary>Something the kernel prints (a segfault, an OOM kill), at the simulated time it happened.</summary>
public readonly record struct FaultReport(string Kind, string Message, long Time);
