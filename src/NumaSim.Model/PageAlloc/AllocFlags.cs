namespace NumaSim.Model.PageAlloc;

/// <summary>The allocator's internal ALLOC_* flags (mm/internal.h); the low bits pick the watermark.</summary>
[Flags]
public enum AllocFlags
{
    WmarkMin = 0,
    WmarkLow = 1,
    WmarkHigh = 2,
    WmarkMask = 3,
    NoWatermarks = 0x04,
    Oom = 0x08,
    NonBlock = 0x10,
    MinReserve = 0x20,
    Cpuset = 0x40,
    HighAtomic = 0x200,
    Kswapd = 0x800,

    Reserves = NonBlock | MinReserve | HighAtomic | Oom,
}

public static class AllocFlagsFor
{
    /// <summary>The first, fast attempt of __alloc_pages: low watermark, no reserves.</summary>
    public static AllocFlags FastPath(Gfp gfp) => AllocFlags.WmarkLow | AllocFlags.Cpuset | (AllocFlags)((uint)gfp & (uint)Gfp.KswapdReclaim);

    /// <summary>gfp_to_alloc_flags: the slow path's min watermark and the reserves the request may use.</summary>
    public static AllocFlags SlowPath(Gfp gfp, int order)
    {
        var flags = AllocFlags.WmarkMin | AllocFlags.Cpuset;
        if ((gfp & Gfp.High) != 0)
        {
            flags |= AllocFlags.MinReserve;
        }
        flags |= (AllocFlags)((uint)gfp & (uint)Gfp.KswapdReclaim);
        if (!gfp.CanDirectReclaim())
        {
            if ((gfp & Gfp.NoMemalloc) == 0)
            {
                flags |= AllocFlags.NonBlock;
                if (order > 0)
                {
                    flags |= AllocFlags.HighAtomic;
                }
            }
            if ((flags & AllocFlags.MinReserve) != 0)
            {
                flags &= ~AllocFlags.Cpuset;
            }
        }
        return flags;
    }

    public static WatermarkKind Watermark(AllocFlags flags) => (WatermarkKind)(int)(flags & AllocFlags.WmarkMask);
}
