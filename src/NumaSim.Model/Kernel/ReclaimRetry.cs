using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Kernel;

/// <summary>
/// What __alloc_pages_slowpath does after a failed attempt. The model has no reclaimable pages,
/// so direct reclaim is a wait in simulated time during which other CPUs may free memory; then
/// the allocation tries again. should_reclaim_retry gives up after MAX_RECLAIM_RETRIES (16)
/// attempts without progress; __GFP_NORETRY, and a costly order (above 3) without
/// __GFP_RETRY_MAYFAIL, give up after one; __GFP_NOFAIL never does; a request that may not
/// reclaim (GFP_ATOMIC, GFP_NOWAIT) fails at once.
/// </summary>
public static class ReclaimRetry
{
    public const int MaxReclaimRetries = 16;

    /// <summary>PAGE_ALLOC_COSTLY_ORDER.</summary>
    public const int CostlyOrder = 3;

    /// <summary>True when a request that has failed <paramref name="failures"/> times waits and tries again.</summary>
    public static bool ShouldRetry(Gfp gfp, int order, int failures)
    {
        if (!gfp.CanDirectReclaim())
        {
            return false;
        }
        if ((gfp & Gfp.NoFail) != 0)
        {
            return true;
        }
        if ((gfp & Gfp.NoRetry) != 0 || (order > CostlyOrder && (gfp & Gfp.RetryMayfail) == 0))
        {
            return failures < 1;
        }
        return failures < MaxReclaimRetries;
    }
}
