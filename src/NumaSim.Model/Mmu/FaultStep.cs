using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Mmu;

/// <summary>What the fault handler needs next: a page from the allocator, frees, a shootdown's acknowledgements, or nothing (done).</summary>
public enum FaultStepKind
{
    Allocate,
    Free,
    Shootdown,
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
}

/// <summary>
/// One step of <see cref="FaultHandler"/>: the driver does what it asks (alloc_pages, the frees, the IPIs) and resumes
/// the handler at the CPU's clock then. <see cref="Now"/> is the CPU's clock when the handler stopped.
/// </summary>
public readonly record struct FaultStep(FaultStepKind Kind, long Now)
{
    /// <summary>The page to allocate (Allocate).</summary>
    public AllocationRequest? Request { get; init; }

    /// <summary>The blocks to free through this CPU's lists, in order (Free); the list is the handler's, reused.</summary>
    public IReadOnlyList<FreedBlock> Blocks { get; init; } = [];

    /// <summary>The address space whose entries the other CPUs must drop (Shootdown).</summary>
    public int AddressSpace { get; init; }

    public long[]? Vpns { get; init; }

    /// <summary>The CPUs that may cache those entries, this one excepted (Shootdown).</summary>
    public IReadOnlyList<int>? Targets { get; init; }

    /// <summary>How it ended (Done).</summary>
    public FaultOutcome Outcome { get; init; }
}

/// <summary>
/// The end of one operation: for an access, the virtual page, where its page was (node, pfn, order), the mask a fault's page was
/// allocated with, and when the access started.
/// </summary>
public readonly record struct FaultOutcome(FaultResult Result, long Start, long Vpn, int Node, long Pfn, int Order, Gfp Gfp, bool Huge);

/// <summary>A block the fault path gives back: a data page (munmap kind) or a page-table page.</summary>
public readonly record struct FreedBlock(int Zone, long Pfn, int Order, MigrateType Type, bool PageTable);

/// <summary>Something the kernel prints (a segfault, an OOM kill), at the simulated time it happened.</summary>
public readonly record struct FaultReport(string Kind, string Message, long Time);
