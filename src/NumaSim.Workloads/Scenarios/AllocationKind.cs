using NumaSim.Model.PageAlloc;

namespace NumaSim.Workloads.Scenarios;

/// <summary>One weighted entry of a stream's mix: alloc_pages(gfp, order), freed after a lifetime.</summary>
public sealed record AllocationKind(int Weight, int Order, Gfp Gfp, long? MeanLifetimeNs);
