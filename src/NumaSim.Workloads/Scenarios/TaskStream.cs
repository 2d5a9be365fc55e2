using NumaSim.Model.PageAlloc;

namespace NumaSim.Workloads.Scenarios;

/// <summary>
/// Tasks that touch memory: one task per CPU of <see cref="Cpus"/>, each with its own address
/// space, mapping <see cref="WorkingSetPages"/> anonymous pages under <see cref="Policy"/> and
/// then accessing them. Periodic events: moving to the next CPU of the list, toggling a chunk
/// read-only/read-write (mprotect), and unmapping and remapping a chunk (munmap). With
/// <see cref="Thp"/>, faults map 2 MiB pages where a whole aligned huge page fits.
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
    long ChunkPages)
{
    /// <summary>Transparent huge pages for the working set (as after madvise(MADV_HUGEPAGE)).</summary>
    public bool Thp { get; init; }
}
