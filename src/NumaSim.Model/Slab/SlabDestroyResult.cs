namespace NumaSim.Model.Slab;

/// <summary>
/// What kmem_cache_destroy found. With live objects SLUB frees only the empty slabs: the others stay allocated
/// (leaked, as in the kernel) and the caller prints <see cref="Warning"/>
/// ("kmem_cache_destroy NAME: Slab cache still has objects when called from CALLER").
/// <see cref="Reports"/> holds the "Objects remaining in NAME on __kmem_cache_shutdown()" reports for the slabs
/// on the partial lists (full slabs are on no list, so SLUB does not list their objects). SLAB keeps every slab
/// with objects and lists none; SLOB cannot see leftover objects at all (no warning, no leaked slabs).
/// </summary>
public sealed record SlabDestroyResult(
    string Cache,
    long LiveObjects,
    long LeakedSlabs,
    long LeakedPages,
    long FreedSlabs,
    IReadOnlyList<SlabDebugReport> Reports)
{
    /// <summary>Slabs were left (live objects, or a slab given up after a failed check): the kernel WARNs.</summary>
    public bool HadObjects => LeakedSlabs > 0;

    /// <summary>The WARN text; <paramref name="caller"/> is the %pS of the caller (e.g. "my_exit+0x10/0x20 [mod]").</summary>
    public string? Warning(string caller) =>
        HadObjects ? $"kmem_cache_destroy {Cache}: Slab cache still has objects when called from {caller}" : null;
}
