namespace NumaSim.Model.Snapshots;

/// <summary>Stream page allocations served and failed for one order and gfp class (the request's migratetype).</summary>
public sealed record AllocationClassCount(int Order, string GfpClass, long Served, long Failed);
