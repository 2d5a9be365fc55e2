namespace NumaSim.Model.PageAlloc;

/// <summary>enum migratetype without CMA: the order pagetypeinfo prints.</summary>
public enum MigrateType : byte
{
    Unmovable = 0,
    Movable = 1,
    Reclaimable = 2,
    HighAtomic = 3,
    Isolate = 4,
}

public static class MigrateTypes
{
    /// <summary>Types with free lists and pageblock counts (MIGRATE_TYPES).</summary>
    public const int Count = 5;

    /// <summary>Types the per-CPU lists hold (MIGRATE_PCPTYPES).</summary>
    public const int PcpTypes = 3;

    public static string KernelName(this MigrateType type) => type switch
    {
        MigrateType.Unmovable => "Unmovable",
        MigrateType.Movable => "Movable",
        MigrateType.Reclaimable => "Reclaimable",
        MigrateType.HighAtomic => "HighAtomic",
        _ => "Isolate",
    };
}
