using NumaSim.Model.Slab;

namespace NumaSim.Workloads.Kernel;

/// <summary>kmem_cache_create(name, size, align, flags, ctor) as the scenario asks for it at boot.</summary>
public sealed record SlabCacheSpec(string Name, int Size, int Align, SlabFlags Flags, bool Ctor);
