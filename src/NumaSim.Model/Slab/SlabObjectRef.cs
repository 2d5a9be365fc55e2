namespace NumaSim.Model.Slab;

/// <summary>A pointer to object <see cref="Index"/> of <see cref="Slab"/>: what SLAB's array caches hold (void *entry[]).</summary>
internal readonly record struct SlabObjectRef(Slab Slab, int Index);
