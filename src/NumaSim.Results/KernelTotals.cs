namespace NumaSim.Results;

/// <summary>
/// What the kernel allocators did: allocations (kmalloc family, kmem_cache_alloc, vmalloc) asked
/// for and failed, frees, direct-reclaim waits, constructor calls, sleeping allocations in atomic
/// context, and slab-debug reports.
/// </summary>
public sealed record KernelTotals(
    long Allocations,
    long Failed,
    long Frees,
    long ReclaimWaits,
    long CtorCalls,
    long SleepingInAtomic,
    long DebugReports)
{
    public static KernelTotals Zero { get; } = new(0, 0, 0, 0, 0, 0, 0);

    public KernelTotals Add(KernelTotals o) => new(
        Allocations + o.Allocations,
        Failed + o.Failed,
        Frees + o.Frees,
        ReclaimWaits + o.ReclaimWaits,
        CtorCalls + o.CtorCalls,
        SleepingInAtomic + o.SleepingInAtomic,
        DebugReports + o.DebugReports);
}
