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

    /// <summary>
    /// A task written as steps (policy, read-file, touch, move-to, access) runs them in order instead of the
    /// periodic working-set model; it keeps its memory until the run ends.
    /// </summary>
    public IReadOnlyList<TaskStep> Steps { get; init; } = [];

    public bool HasSteps => Steps.Count > 0;

    /// <summary>Whether its tasks move between CPUs (migrate-every over several CPUs, or a move-to step).</summary>
    public bool Moves => (MigrateEvery > 0 && Cpus.Count > 1) || Steps.Any(s => s is MoveToStep);

    /// <summary>
    /// Queues the periodic steps that fall due after a task's <paramref name="done"/>th access, in the order they run:
    /// munmap, mprotect, then the move to the next CPU (never after the last access, nor with one CPU to go to).
    /// </summary>
    public void EnqueueStepsDueAfter(long done, Queue<PeriodicStep> pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        if (MunmapEvery > 0 && done % MunmapEvery == 0)
        {
            pending.Enqueue(PeriodicStep.Munmap);
        }
        if (MprotectEvery > 0 && done % MprotectEvery == 0)
        {
            pending.Enqueue(PeriodicStep.Mprotect);
        }
        if (MigrateEvery > 0 && done % MigrateEvery == 0 && done < Accesses && Cpus.Count > 1)
        {
            pending.Enqueue(PeriodicStep.Migrate);
        }
    }

    /// <summary>Every CPU one of its tasks may run on: where they start, and where they move to.</summary>
    public IEnumerable<int> CpusVisited => Cpus.Concat(Steps.OfType<MoveToStep>().Select(m => m.Cpu)).Distinct();
}
