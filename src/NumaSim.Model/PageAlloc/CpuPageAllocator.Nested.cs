namespace NumaSim.Model.PageAlloc;

/// <summary>
/// An allocation inside an allocation: reclaim entered from this CPU's slow path (direct reclaim, or kswapd run
/// synchronously on this CPU) allocates demotion targets while the outer allocation waits in its step. The kernel
/// keeps each __alloc_pages' state on the stack; here the inner one runs on a copy that shares the CPU's per-CPU
/// lists, ZONE_BELOW_HIGH view and counters and has its own progress.
/// </summary>
public sealed partial class CpuPageAllocator
{
    /// <summary>A copy for one nested allocation: same lists and counters, its own request, passes and candidates.</summary>
    public CpuPageAllocator Nested()
    {
        var nested = (CpuPageAllocator)MemberwiseClone();
        nested._candidates = [];
        nested._drained = [];
        nested._request = null;
        nested._preferredManyAll = null;
        return nested;
    }
}
