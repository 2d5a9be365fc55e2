using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Slab;

/// <summary>The gfp masks the slab allocators apply before asking for pages (include/linux/gfp.h, mm/internal.h).</summary>
internal static class GfpMasks
{
    /// <summary>GFP_RECLAIM_MASK: the bits a slab keeps from the caller's gfp.</summary>
    public const Gfp Reclaim = Gfp.Reclaim | Gfp.High | Gfp.Io | Gfp.Fs | Gfp.NoWarn | Gfp.RetryMayfail
        | Gfp.NoFail | Gfp.NoRetry | Gfp.Memalloc | Gfp.NoMemalloc;

    /// <summary>GFP_CONSTRAINT_MASK.</summary>
    public const Gfp Constraint = Gfp.Hardwall | Gfp.ThisNode;

    /// <summary>SLAB's gfp_exact_node: this node only, quietly, without reclaim.</summary>
    public static Gfp ExactNode(Gfp gfp) => (gfp | Gfp.ThisNode | Gfp.NoWarn) & ~(Gfp.Reclaim | Gfp.NoFail);
}
