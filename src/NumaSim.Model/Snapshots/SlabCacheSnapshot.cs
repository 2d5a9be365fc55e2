namespace NumaSim.Model.Snapshots;

/// <summary>
/// One row of /proc/slabinfo. <see cref="Limit"/>, <see cref="BatchCount"/> and <see cref="SharedFactor"/> are SLAB's
/// tunables and <see cref="SharedAvail"/> the objects in its shared arrays; SLUB (and the model's SLOB rows) print
/// them as 0.
/// </summary>
public sealed record SlabCacheSnapshot(
    string Name,
    long ActiveObjects,
    long NumObjects,
    int ObjectSize,
    int ObjectsPerSlab,
    int PagesPerSlab,
    long ActiveSlabs,
    long NumSlabs,
    bool Reclaimable,
    int Limit = 0,
    int BatchCount = 0,
    int SharedFactor = 0,
    long SharedAvail = 0);
