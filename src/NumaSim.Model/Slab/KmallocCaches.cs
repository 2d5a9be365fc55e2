using NumaSim.Model.Snapshots;

namespace NumaSim.Model.Slab;

/// <summary>The kmalloc caches every kernel creates at boot (create_kmalloc_caches), in /proc/slabinfo's order.</summary>
public static class KmallocCaches
{
    /// <summary>Size classes in the order slabinfo lists them (newest cache first: 8k down to 8, then 192, 96).</summary>
    private static readonly int[] SlabinfoOrder = [8192, 4096, 2048, 1024, 512, 256, 128, 64, 32, 16, 8, 192, 96];

    private static readonly string[] Prefixes = ["kmalloc-cg-", "dma-kmalloc-", "kmalloc-rcl-", "kmalloc-"];

    /// <summary>The kmalloc sizes in slabinfo order.</summary>
    public static IReadOnlyList<int> SlabinfoSizes => SlabinfoOrder;

    /// <summary>The cache name prefixes (kmalloc_info names) in slabinfo order.</summary>
    public static IReadOnlyList<string> SlabinfoPrefixes => Prefixes;

    /// <summary>The prefix of a kmalloc type's cache names.</summary>
    public static string Prefix(KmallocType type) => type switch
    {
        KmallocType.Reclaim => "kmalloc-rcl-",
        KmallocType.Dma => "dma-kmalloc-",
        KmallocType.Cgroup => "kmalloc-cg-",
        _ => "kmalloc-",
    };

    public static string SizeName(int size) => size >= 1024 ? $"{size / 1024}k" : size.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Empty caches (no objects yet) laid out as <paramref name="allocator"/>'s kind lays them out, with
    /// SLAB's tunables; caches the allocator lacks (kmalloc-8 and -16 under SLAB, kmalloc-8k under SLOB) are left
    /// out.</summary>
    public static IReadOnlyList<SlabCacheSnapshot> Empty(int pageSize, int presentCpus, SlabAllocatorOptions allocator)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        return allocator.Policy.EmptyKmallocCaches(pageSize, presentCpus, allocator);
    }

    /// <summary>Empty caches as the boot layouts of <paramref name="allocator"/>'s kind have them, with SLAB's
    /// tunables.</summary>
    internal static IReadOnlyList<SlabCacheSnapshot> FromLayouts(int pageSize, int presentCpus, SlabAllocatorOptions allocator)
    {
        var layouts = KmallocFamily.BootLayouts(pageSize, presentCpus, 1, null, allocator);
        var byName = new Dictionary<string, KmemCache>();
        foreach (var cache in layouts)
        {
            if (cache is not null)
            {
                byName[cache.Name] = cache;
            }
        }
        var caches = new List<SlabCacheSnapshot>();
        foreach (var prefix in Prefixes)
        {
            foreach (var size in SlabinfoOrder)
            {
                if (byName.TryGetValue(prefix + SizeName(size), out var c))
                {
                    caches.Add(new SlabCacheSnapshot(
                        c.Name, 0, 0, c.Size, c.ObjectsPerSlab, c.PagesPerSlab, 0, 0, c.Reclaimable,
                        c.Tunables.Limit, c.Tunables.BatchCount, c.Tunables.SharedFactor));
                }
            }
        }
        return caches;
    }

    /// <summary>Empty caches (no objects yet) laid out as SLUB lays them out.</summary>
    public static IReadOnlyList<SlabCacheSnapshot> Empty(int pageSize, int presentCpus)
    {
        var caches = new List<SlabCacheSnapshot>();
        foreach (var prefix in Prefixes)
        {
            foreach (var size in SlabinfoOrder)
            {
                var order = SlubLayout.Order(size, pageSize, presentCpus);
                caches.Add(new SlabCacheSnapshot(
                    prefix + SizeName(size), 0, 0, size, SlubLayout.ObjectsPerSlab(order, size, pageSize), 1 << order, 0, 0,
                    prefix == "kmalloc-rcl-"));
            }
        }
        return caches;
    }
}
