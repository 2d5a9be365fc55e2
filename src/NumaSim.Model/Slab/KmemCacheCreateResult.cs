namespace NumaSim.Model.Slab;

/// <summary>
/// What kmem_cache_create returned: the cache, or the error (-EINVAL is -22) and the line the kernel prints.
/// For a SLAB_PANIC cache <see cref="Panics"/> is set and <see cref="Message"/> is the panic text
/// ("__kmem_cache_create_args: Failed to create slab 'NAME'. Error -22"); the caller panics.
/// </summary>
public sealed record KmemCacheCreateResult(KmemCache? Cache, int Error, string? Message, bool Panics)
{
    /// <summary>-EINVAL.</summary>
    public const int Einval = -22;

    /// <summary>-E2BIG: SLAB found no slab order that holds an object (__kmem_cache_create).</summary>
    public const int E2big = -7;

    /// <summary>The function the message names: kmem_cache_create is a wrapper of it since 6.12.</summary>
    public const string CreateFunction = "__kmem_cache_create_args";

    public bool Succeeded => Cache is not null;

    internal static KmemCacheCreateResult Ok(KmemCache cache) => new(cache, 0, null, false);

    internal static KmemCacheCreateResult Fail(string name, SlabFlags flags, int error)
    {
        var panics = (flags & SlabFlags.Panic) != 0;
        var message = panics
            ? $"{CreateFunction}: Failed to create slab '{name}'. Error {error}"
            : $"{CreateFunction}({name}) failed with error {error}";
        return new KmemCacheCreateResult(null, error, message, panics);
    }
}
