namespace NumaSim.Model.Slab;

/// <summary>What a page of the direct map holds: a slab of some cache, or a large kmalloc block.</summary>
internal readonly record struct SlabPageEntry(SlubAllocator? Owner, Slab? Slab, long HeadPfn, int LargeOrder, int LargeNode)
{
    public bool IsLarge => Slab is null;
}
