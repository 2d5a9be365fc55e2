namespace NumaSim.Model.Snapshots;

/// <summary>One row of /proc/slabinfo (SLUB prints the tunables as 0).</summary>
public sealed record SlabCacheSnapshot(
    string Name,
    long ActiveObjects,
    long NumObjects,
    int ObjectSize,
    int ObjectsPerSlab,
    int PagesPerSlab,
    long ActiveSlabs,
    long NumSlabs,
    bool Reclaimable);
