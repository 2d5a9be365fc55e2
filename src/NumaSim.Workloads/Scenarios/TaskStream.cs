using NumaSim.Model.PageAlloc;

namespace NumaSim.Workloads.Scenarios;

/// <summary>
/// Tasks that touch memory: one task per CPU of <see cref="Cpus"/>, each with its own address
/// space, mapping <see cref="WorkingSetPages"/> anonymous pages under <see cref="Policy"/> and
/// then accessing them. Periodic events: moving to the next CPU of the list, toggling a chunk
/// read-only/read-write (mprotect), and unmapping and remapping a chunk (munmap).
/// </summary>
public sealed record TaskStream(
    IReadOnlyList<int> Cpus,
    long WorkingSetPages,
    AccessPattern Pattern,
    double WriteRatio,
    long Accesses,
    long MeanThinkTimeNs,
    MemPolicy Policy,
    long MigrateEvery,
    long MprotectEvery,
    long MunmapEvery,
    long ChunkPages);
