using NumaSim.Model.Topology;

namespace NumaSim.Model.PageAlloc;

/// <summary>gfp_t bits as include/linux/gfp_types.h numbers them (6.x).</summary>
[Flags]
public enum Gfp : uint
{
    None = 0,
    Dma = 1u << 0,
    HighMem = 1u << 1,
    Dma32 = 1u << 2,
    Movable = 1u << 3,
    Reclaimable = 1u << 4,
    High = 1u << 5,
    Io = 1u << 6,
    Fs = 1u << 7,
    Zero = 1u << 8,
    DirectReclaim = 1u << 10,
    KswapdReclaim = 1u << 11,
    Write = 1u << 12,
    NoWarn = 1u << 13,
    RetryMayfail = 1u << 14,
    NoFail = 1u << 15,
    NoRetry = 1u << 16,
    Memalloc = 1u << 17,
    Comp = 1u << 18,
    NoMemalloc = 1u << 19,
    Hardwall = 1u << 20,
    ThisNode = 1u << 21,
    Account = 1u << 22,

    Reclaim = DirectReclaim | KswapdReclaim,
    Kernel = Reclaim | Io | Fs,
    KernelAccount = Kernel | Account,
    Atomic = High | KswapdReclaim,
    NoWait = KswapdReclaim | NoWarn,
    NoIo = Reclaim,
    NoFs = Reclaim | Io,
    User = Reclaim | Io | Fs | Hardwall,
    HighUser = User | HighMem,
    HighUserMovable = HighUser | Movable,
    TransHugeLight = (HighUserMovable | Comp | NoMemalloc | NoWarn) & ~Reclaim,
    TransHuge = TransHugeLight | DirectReclaim,
}

public static class GfpFlags
{
    private static readonly (string Name, Gfp Value)[] Names =
    [
        ("GFP_TRANSHUGE", Gfp.TransHuge),
        ("GFP_TRANSHUGE_LIGHT", Gfp.TransHugeLight),
        ("GFP_KERNEL_ACCOUNT", Gfp.KernelAccount),
        ("GFP_KERNEL", Gfp.Kernel),
        ("GFP_ATOMIC", Gfp.Atomic),
        ("GFP_NOWAIT", Gfp.NoWait),
        ("GFP_NOIO", Gfp.NoIo),
        ("GFP_NOFS", Gfp.NoFs),
        ("GFP_USER", Gfp.User),
        ("GFP_HIGHUSER_MOVABLE", Gfp.HighUserMovable),
        ("GFP_HIGHUSER", Gfp.HighUser),
        ("GFP_DMA32", Gfp.Dma32),
        ("GFP_DMA", Gfp.Dma),
        ("__GFP_DMA32", Gfp.Dma32),
        ("__GFP_DMA", Gfp.Dma),
        ("__GFP_HIGHMEM", Gfp.HighMem),
        ("__GFP_MOVABLE", Gfp.Movable),
        ("__GFP_RECLAIMABLE", Gfp.Reclaimable),
        ("__GFP_HIGH", Gfp.High),
        ("__GFP_IO", Gfp.Io),
        ("__GFP_FS", Gfp.Fs),
        ("__GFP_ZERO", Gfp.Zero),
        ("__GFP_DIRECT_RECLAIM", Gfp.DirectReclaim),
        ("__GFP_KSWAPD_RECLAIM", Gfp.KswapdReclaim),
        ("__GFP_RECLAIM", Gfp.Reclaim),
        ("__GFP_WRITE", Gfp.Write),
        ("__GFP_NOWARN", Gfp.NoWarn),
        ("__GFP_RETRY_MAYFAIL", Gfp.RetryMayfail),
        ("__GFP_NOFAIL", Gfp.NoFail),
        ("__GFP_NORETRY", Gfp.NoRetry),
        ("__GFP_MEMALLOC", Gfp.Memalloc),
        ("__GFP_COMP", Gfp.Comp),
        ("__GFP_NOMEMALLOC", Gfp.NoMemalloc),
        ("__GFP_HARDWALL", Gfp.Hardwall),
        ("__GFP_THISNODE", Gfp.ThisNode),
        ("__GFP_ACCOUNT", Gfp.Account),
    ];

    /// <summary>Parses "GFP_KERNEL|__GFP_THISNODE" (spaces allowed); false on an unknown name.</summary>
    public static bool TryParse(string text, out Gfp gfp, out string? unknown)
    {
        gfp = Gfp.None;
        unknown = null;
        foreach (var part in text.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var match = Array.FindIndex(Names, n => n.Name == part);
            if (match < 0)
            {
                unknown = part;
                return false;
            }
            gfp |= Names[match].Value;
        }
        return text.Trim().Length > 0;
    }

    /// <summary>The names the kernel's show_gfp_flags would print: composite names first.</summary>
    public static string Format(Gfp gfp)
    {
        if (gfp == Gfp.None)
        {
            return "0";
        }
        var parts = new List<string>();
        var rest = gfp;
        foreach (var (name, value) in Names)
        {
            if (value != Gfp.None && (rest & value) == value && !name.StartsWith("GFP_DMA", StringComparison.Ordinal))
            {
                parts.Add(name);
                rest &= ~value;
            }
        }
        return string.Join('|', parts);
    }

    /// <summary>gfp_migratetype: the movable/reclaimable bits select the free list.</summary>
    public static MigrateType MigrateType(this Gfp gfp) =>
        (gfp & Gfp.Movable) != 0 ? PageAlloc.MigrateType.Movable
        : (gfp & Gfp.Reclaimable) != 0 ? PageAlloc.MigrateType.Reclaimable
        : PageAlloc.MigrateType.Unmovable;

    /// <summary>gfp_zone: the highest zone the request may use (64-bit: no highmem zone).</summary>
    public static ZoneType HighestZone(this Gfp gfp)
    {
        if ((gfp & Gfp.Dma) != 0)
        {
            return ZoneType.Dma;
        }
        if ((gfp & Gfp.Dma32) != 0)
        {
            return ZoneType.Dma32;
        }
        return (gfp & (Gfp.HighMem | Gfp.Movable)) == (Gfp.HighMem | Gfp.Movable) ? ZoneType.Movable : ZoneType.Normal;
    }

    public static bool CanDirectReclaim(this Gfp gfp) => (gfp & Gfp.DirectReclaim) != 0;
}
