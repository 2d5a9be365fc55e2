namespace NumaSim.Model.Mmu;

/// <summary>A CPU's TLB: size, associativity, and whether misses are refilled by hardware or by a trap.</summary>
public sealed record TlbConfig(int Entries, int Ways, bool SoftwareRefill)
{
    /// <summary>About a current x86 core's second-level TLB for 4 KiB pages (1536 entries, 12 ways).</summary>
    public static TlbConfig Default { get; } = new(1536, 12, false);

    /// <summary>The separate TLB for huge pages (a current x86 core's 2 MiB dTLB: 32 entries, 4 ways).</summary>
    public int HugeEntries { get; init; } = 32;

    public int HugeWays { get; init; } = 4;
}
