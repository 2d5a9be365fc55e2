namespace NumaSim.Model.Topology;

/// <summary>The kernel's zone indices, low to high (enum zone_type on x86-64).</summary>
public enum ZoneType
{
    Dma = 0,
    Dma32 = 1,
    Normal = 2,
    Movable = 3,
    Device = 4,
}

public static class ZoneTypes
{
    public const int Count = 5;

    public static readonly IReadOnlyList<ZoneType> All =
        [ZoneType.Dma, ZoneType.Dma32, ZoneType.Normal, ZoneType.Movable, ZoneType.Device];

    /// <summary>The name /proc prints for the zone (zone_names[] in mm/page_alloc.c).</summary>
    public static string KernelName(this ZoneType type) => type switch
    {
        ZoneType.Dma => "DMA",
        ZoneType.Dma32 => "DMA32",
        ZoneType.Normal => "Normal",
        ZoneType.Movable => "Movable",
        ZoneType.Device => "Device",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static bool TryParse(string name, out ZoneType type)
    {
        foreach (var t in All)
        {
            if (string.Equals(t.KernelName(), name, StringComparison.OrdinalIgnoreCase))
            {
                type = t;
                return true;
            }
        }
        type = default;
        return false;
    }
}
