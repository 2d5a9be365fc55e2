namespace NumaSim.Model.Slab;

/// <summary>
/// Whoever owns a page in the <see cref="SlabPageMap"/>: a SLUB or SLAB cache for its slabs, or the SLOB heap for
/// its pages. kfree, ksize and a scenario's reads and writes go through it without knowing the allocator.
/// </summary>
internal interface ISlabPageOwner
{
    /// <summary>The cache name reports use.</summary>
    string Name { get; }

    /// <summary>kmem_cache_free (<paramref name="kfree"/> false) or kfree of <paramref name="address"/> on this page.</summary>
    bool FreeFromPage(int cpu, in SlabPageEntry entry, ObjectAddress address, bool kfree);

    /// <summary>ksize of the object at <paramref name="address"/>.</summary>
    long Ksize(in SlabPageEntry entry, ObjectAddress address);

    int Write(ObjectAddress address, int offset, int length, byte value);

    bool TryRead(ObjectAddress address, int offset, Span<byte> destination);
}
