namespace NumaSim.Model.Mmu;

/// <summary>
/// The loaded-latency curve of a node with HMAT figures: how much longer an access takes while the node's
/// bandwidth is in use. With u the fraction of the bandwidth in use (in thousandths), an access costs
/// idle x (1 + u² / (1 - u)): flat while the node is lightly used (+4 % at 20 %, +25 % at 44 %), twice the idle
/// latency at 62 %, 9 times at 90 %, the shape of a memory controller's queue filling up as measured loaded-latency
/// curves show it. u stops at 95 % (about 19 times idle): demand beyond the bandwidth waits as if at 95 %.
/// </summary>
public static class LoadedLatency
{
    public const int Full = 1000;

    /// <summary>The highest utilisation the curve takes, in thousandths.</summary>
    public const int MaxUtilisation = 950;

    /// <summary>An access's latency at this utilisation (thousandths, clamped to 0..950), from its idle latency.</summary>
    public static long At(long idleNs, long utilisation)
    {
        var u = Math.Clamp(utilisation, 0, MaxUtilisation);
        return idleNs + (idleNs * u * u / (Full * (Full - u)));
    }
}
