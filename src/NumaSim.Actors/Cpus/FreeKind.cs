namespace NumaSim.Actors.Cpus;

/// <summary>The latency kinds of a free: to the per-CPU list only, or with a drain to the zone.</summary>
internal sealed record FreeKind(string Pcp, string Drain)
{
    public static FreeKind Stream { get; } = new("free_pcp", "free_drain");

    public static FreeKind Munmap { get; } = new("munmap_free_pcp", "munmap_free_drain");

    public static FreeKind PageTable { get; } = new("pagetable_free_pcp", "pagetable_free_drain");
}
