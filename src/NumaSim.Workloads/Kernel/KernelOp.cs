namespace NumaSim.Workloads.Kernel;

/// <summary>The kernel memory APIs a kernel stream or script step calls.</summary>
public enum KernelOp
{
    Kmalloc,
    Kzalloc,
    KmemCacheAlloc,
    Vmalloc,
    Kfree,
    KmemCacheFree,
    Vfree,
    KmemCacheDestroy,
    Write,
    Context,
}

public static class KernelOps
{
    /// <summary>The kernel function's name: kmalloc, kmem_cache_alloc, vfree, ...</summary>
    public static string ApiName(this KernelOp op) => op switch
    {
        KernelOp.KmemCacheAlloc => "kmem_cache_alloc",
        KernelOp.KmemCacheFree => "kmem_cache_free",
        KernelOp.KmemCacheDestroy => "kmem_cache_destroy",
        _ => op.ToString().ToLowerInvariant(),
    };
}
