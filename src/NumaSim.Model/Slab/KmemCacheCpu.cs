namespace NumaSim.Model.Slab;

/// <summary>struct kmem_cache_cpu: one CPU's active slab, its lockless freelist and its partial list.</summary>
internal sealed class KmemCacheCpu
{
    /// <summary>c->slab.</summary>
    public Slab? Slab { get; set; }

    /// <summary>c->freelist (-1: NULL), chained through Slab.Next.</summary>
    public int FreeHead { get; set; } = -1;

    public int FreeCount { get; set; }

    /// <summary>c->partial.</summary>
    public SlabList Partial { get; } = new();
}
