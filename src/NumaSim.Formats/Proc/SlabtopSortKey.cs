namespace NumaSim.Formats.Proc;

/// <summary>
/// What slabtop sorts its caches by, one per letter of its -s option and its interactive keys (procps-ng
/// src/slabtop.c set_sort_stuff). Every key sorts descending except <see cref="Name"/>, which sorts ascending.
/// </summary>
public enum SlabtopSortKey
{
    /// <summary>o: number of objects (the default).</summary>
    Objects,

    /// <summary>a: number of active objects.</summary>
    ActiveObjects,

    /// <summary>b: objects per slab.</summary>
    ObjectsPerSlab,

    /// <summary>c: cache size.</summary>
    CacheSize,

    /// <summary>l: number of slabs.</summary>
    Slabs,

    /// <summary>v: number of active slabs (not displayed).</summary>
    ActiveSlabs,

    /// <summary>n: name, ascending.</summary>
    Name,

    /// <summary>p: pages per slab (not displayed).</summary>
    PagesPerSlab,

    /// <summary>s: object size.</summary>
    ObjectSize,

    /// <summary>u: cache utilization (the USE column).</summary>
    Utilization,
}
