using NumaSim.Model.Slab;
using NumaSim.Workloads.Kernel;

namespace NumaSim.Actors.Slabs;

/// <summary>What an allocation returned, and how to free it: kfree, kmem_cache_free of its cache, or vfree.</summary>
internal sealed record LiveObject(KernelOp AllocatedBy, ObjectAddress Address, string? Cache);
