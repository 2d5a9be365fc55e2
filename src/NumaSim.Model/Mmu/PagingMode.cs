namespace NumaSim.Model.Mmu;

/// <summary>
/// The shape of a page-table tree: base page size, levels, index bits per level. A virtual
/// address is split into one index per level (top first) and the page offset.
/// </summary>
public sealed record PagingMode(string Name, int PageShift, int Levels, int BitsPerLevel, int VaBits)
{

    public int EntriesPerTable => 1 << BitsPerLevel;

    public long PageSize => 1L << PageShift;

    public long MaxVirtualPage => 1L << (VaBits - PageShift);

    /// <summary>Base pages in a huge page: what one entry of the level above the last maps (512 on x86-64: 2 MiB).</summary>
    public int HugePages => 1 << BitsPerLevel;

    /// <summary>The buddy order of a huge page.</summary>
    public int HugeOrder => BitsPerLevel;

    /// <summary>The table index of a virtual page number at a level (0 = the top level).</summary>
    public int Index(long vpn, int level) => (int)((vpn >> ((Levels - 1 - level) * BitsPerLevel)) & (EntriesPerTable - 1));

    /// <summary>x86-64 with 4 KiB pages: PGD, PUD, PMD, PTE (48-bit addresses).</summary>
    public static PagingMode X86_64_4Level { get; } = new("x86_64 4-level", 12, 4, 9, 48);

    /// <summary>x86-64 with LA57: P4D added (57-bit addresses).</summary>
    public static PagingMode X86_64_5Level { get; } = new("x86_64 5-level", 12, 5, 9, 57);

    /// <summary>arm64 4 KiB granule, 48-bit addresses: 4 levels of 9 bits.</summary>
    public static PagingMode Arm64_4K { get; } = new("arm64 4K granule", 12, 4, 9, 48);

    /// <summary>arm64 16 KiB granule, 48-bit addresses: 4 levels of 11 bits, the top one using only 1 bit.</summary>
    public static PagingMode Arm64_16K { get; } = new("arm64 16K granule", 14, 4, 11, 48);

    /// <summary>arm64 64 KiB granule, 48-bit addresses: 3 levels of 13 bits, the top one using 6.</summary>
    public static PagingMode Arm64_64K { get; } = new("arm64 64K granule", 16, 3, 13, 48);

    public static PagingMode For(string architecture, int pageSize, bool fiveLevel) => (architecture, pageSize) switch
    {
        ("x86_64", 4096) => fiveLevel ? X86_64_5Level : X86_64_4Level,
        ("arm64", 4096) => Arm64_4K,
        ("arm64", 16384) => Arm64_16K,
        ("arm64", 65536) => Arm64_64K,
        _ => throw new ArgumentOutOfRangeException(nameof(pageSize), $"no paging mode for {architecture} with {pageSize}-byte pages"),
    };
}
