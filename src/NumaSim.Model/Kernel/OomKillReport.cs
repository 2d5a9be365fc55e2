using System.Globalization;

namespace NumaSim.Model.Kernel;

/// <summary>
/// What __oom_kill_process prints of its victim (mm/oom_kill.c): sizes in kB, as the kernel's K() macro gives them.
/// This line is for a task killed because its own allocation found no memory, as vm.oom_kill_allocating_task = 1
/// makes the kernel do (the synchronous fault path); a victim chosen by oom_badness prints <see cref="OomBadness.Choose"/>'s lines.
/// </summary>
public sealed record OomKillReport(int Pid, string Comm, long TotalVmPages, long AnonRssPages, long PageTablePages, int PageShift)
{
    public const string Constraint = "Out of memory (oom_kill_allocating_task)";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Constraint}: Killed process {Pid} ({Comm}) total-vm:{Kb(TotalVmPages)}kB, anon-rss:{Kb(AnonRssPages)}kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:{Kb(PageTablePages)}kB oom_score_adj:0");

    private long Kb(long pages) => pages << (PageShift - 10);
}
