namespace NumaSim.Model.PageAlloc;

/// <summary>
/// The slow path's use of the highatomic reserve (mm/page_alloc.c): after a direct reclaim that made progress but
/// still found no page, one reserved pageblock per zonelist goes back (keeping the last one of each zone) before
/// drain_all_pages; when should_reclaim_retry has run out of rounds, the whole reserve goes, a pageblock a round,
/// before the OOM killer.
/// </summary>
public sealed partial class CpuPageAllocator
{
    private bool _unreserveBeforeOom;

    /// <summary>
    /// After UnreserveHighAtomic: <paramref name="unreserved"/> says whether a zone gave a pageblock back. Before the
    /// drain the drain follows whatever the answer; before the OOM killer a pageblock given back means another round.
    /// </summary>
    public AllocationStep ResumeAfterUnreserve(bool unreserved)
    {
        if (!_unreserveBeforeOom)
        {
            return new AllocationStep(AllocationStepKind.DrainAllPages, -1, -1, default);
        }
        return unreserved ? RetryReclaim() : OutOfMemoryOrGive();
    }

    private AllocationStep UnreserveStep(bool force)
    {
        _unreserveBeforeOom = force;
        return new AllocationStep(AllocationStepKind.UnreserveHighAtomic, -1, -1, new ZoneRequest(-1, _request!.Order, _type, 1, default, _highestZoneIdx))
        {
            Zones = [.. _candidates],
            Force = force,
        };
    }
}
