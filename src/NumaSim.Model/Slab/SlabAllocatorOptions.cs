namespace NumaSim.Model.Slab;

/// <summary>
/// The allocator choice and the boot/config options of the non-SLUB allocators. SLUB's own option is
/// <see cref="SlubDebugOptions"/> (slub_debug=), passed beside these; SLAB and SLOB ignore it as they ignore the boot
/// parameter.
/// </summary>
public sealed record SlabAllocatorOptions
{
    /// <summary>SLUB with no options: what every existing constructor builds.</summary>
    public static SlabAllocatorOptions Default { get; } = new();

    public SlabAllocatorKind Kind { get; init; } = SlabAllocatorKind.Slub;

    /// <summary>What <see cref="Kind"/> decides outside the allocator (layouts, kmalloc's rules).</summary>
    public SlabAllocatorPolicy Policy => SlabAllocatorPolicy.For(Kind);

    /// <summary>
    /// CONFIG_DEBUG_SLAB (SLAB only): DEBUG, STATS and FORCED_DEBUG in mm/slab.c. Every cache gets SLAB_POISON, and
    /// SLAB_RED_ZONE | SLAB_STORE_USER unless its alignment is above 8 or the red zones would push a large object
    /// past the next power of two; the per-CPU limit is capped at 32. Without it SLAB drops SLAB_RED_ZONE,
    /// SLAB_POISON and SLAB_STORE_USER from kmem_cache_create's flags (CACHE_CREATE_MASK).
    /// </summary>
    public bool DebugSlab { get; init; }

    /// <summary>slab_max_order= (SLAB): the order calculate_slab_order stops at once objects fit. The default is
    /// SLAB_MAX_ORDER_HI (1), what kmem_cache_init picks on machines with more than 32 MiB; 0 is SLAB_MAX_ORDER_LO.</summary>
    public int SlabMaxOrder { get; init; } = SlabLayout.SlabMaxOrderHi;

    /// <summary>SLAB's alien caches (off with the noaliencache boot option; the kernel also turns them off on
    /// one-node machines).</summary>
    public bool AlienCaches { get; init; } = true;

    public static SlabAllocatorOptions For(SlabAllocatorKind kind) => new() { Kind = kind };

    /// <summary>The slab.allocator value: "slub", "slab" or "slob" (any case).</summary>
    public static bool TryParseKind(string? text, out SlabAllocatorKind kind)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "slub":
                kind = SlabAllocatorKind.Slub;
                return true;
            case "slab":
                kind = SlabAllocatorKind.Slab;
                return true;
            case "slob":
                kind = SlabAllocatorKind.Slob;
                return true;
            default:
                kind = SlabAllocatorKind.Slub;
                return false;
        }
    }
}
