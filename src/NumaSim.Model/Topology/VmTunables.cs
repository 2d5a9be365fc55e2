namespace NumaSim.Model.Topology;

/// <summary>
/// The vm sysctls that shape watermarks and per-CPU lists (/proc/sys/vm/*).
/// MinFreeKbytes null means "as the kernel computes it at boot".
/// </summary>
public sealed record VmTunables(
    long? MinFreeKbytes,
    int WatermarkScaleFactor,
    bool ThpRecommendedMinFree,
    IReadOnlyList<int> LowmemReserveRatio,
    int PercpuPagelistHighFraction)
{
    public static VmTunables Default { get; } = new(null, 10, true, [256, 256, 32, 0, 0], 0);
}
