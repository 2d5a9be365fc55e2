namespace NumaSim.Model.PageAlloc;

/// <summary>Modeled costs in simulated nanoseconds; remote ones scale by distance / 10.</summary>
public sealed record LatencyModel(
    long DramLocalNs,
    long PcpAllocNs,
    long PcpFreeNs,
    long BuddyOpNs,
    long ZoneMessageNs,
    long DirectReclaimNs)
{
    public static LatencyModel Default { get; } = new(90, 40, 30, 120, 100, 20_000);

    /// <summary>A one-way message between a CPU and a zone at this SLIT distance.</summary>
    public long ZoneMessage(int distance) => ZoneMessageNs * distance / 10;

    /// <summary>The smallest latency of any message between two actors: the window lookahead.</summary>
    public long Lookahead => ZoneMessageNs;
}
