using NumaSim.Model.PageAlloc;

namespace NumaSim.Workloads.Kernel;

/// <summary>
/// One weighted entry of a kernel stream's mix: kmalloc, kzalloc, kmem_cache_alloc or vmalloc of a
/// size drawn uniformly from [MinSize, MaxSize], freed after a lifetime (null: never).
/// </summary>
public sealed record KernelAllocKind(int Weight, KernelOp Op, long MinSize, long MaxSize, Gfp Gfp, string? Cache, long? MeanLifetimeNs);
