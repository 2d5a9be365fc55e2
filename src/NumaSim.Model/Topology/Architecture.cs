namespace NumaSim.Model.Topology;

/// <summary>Architectural constants of the simulated machine (page size, buddy orders, zone limits).</summary>
public sealed record Architecture(string Name, int PageSize, int PageblockOrder, int MaxOrder)
{
    /// <summary>x86-64: 4, or 5 with LA57. arm64: set by the granule.</summary>
    public bool FiveLevelPaging { get; init; }

    public Mmu.PagingMode Paging => Mmu.PagingMode.For(Name, PageSize, FiveLevelPaging);

    public const int DefaultMaxOrder = 10;

    public int PageShift => System.Numerics.BitOperations.Log2((uint)PageSize);

    public int PageblockPages => 1 << PageblockOrder;

    /// <summary>Exclusive PFN limit of a zone type, or null when it has none (MAX_DMA_PFN, MAX_DMA32_PFN).</summary>
    public long? ZoneLimitPfn(ZoneType type) => type switch
    {
        ZoneType.Dma => (16L << 20) >> PageShift,
        ZoneType.Dma32 => (4L << 30) >> PageShift,
        _ => null,
    };

    public static Architecture X86_64 { get; } = new("x86_64", 4096, 9, DefaultMaxOrder);

    public static Architecture ForPageSize(string name, int pageSize) => pageSize switch
    {
        4096 => X86_64 with { Name = name },
        // arm64: pageblock order follows the PMD huge page order, capped by MAX_ORDER.
        16384 => new Architecture(name, 16384, Math.Min(11, DefaultMaxOrder), DefaultMaxOrder),
        65536 => new Architecture(name, 65536, Math.Min(13, DefaultMaxOrder), DefaultMaxOrder),
        _ => throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "page size must be 4096, 16384 or 65536"),
    };
}
