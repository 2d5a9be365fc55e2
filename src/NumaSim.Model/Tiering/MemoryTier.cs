namespace NumaSim.Model.Tiering;

/// <summary>
/// One memory tier (struct memory_tier): the abstract distances [AdistanceStart, AdistanceStart + 128) and the
/// nodes whose memory type falls there. Its device is memory_tier&lt;Id&gt;, Id = AdistanceStart &gt;&gt; 7.
/// </summary>
public sealed record MemoryTier(int AdistanceStart, IReadOnlyList<int> Nodes)
{
    public int Id => AdistanceStart >> MemoryTiers.ChunkBits;

    /// <summary>The sysfs name of the tier's device: /sys/devices/virtual/memory_tiering/memory_tier&lt;Id&gt;.</summary>
    public string Name => "memory_tier" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
