using System.Globalization;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Kernel;

/// <summary>The lines the kernel prints for the allocation problems the model detects, word for word.</summary>
public static class KernelMessages
{
    /// <summary>Where might_alloc's might_sleep_if fires (include/linux/sched/mm.h in 6.x).</summary>
    public const string MightSleepSite = "include/linux/sched/mm.h:321";

    /// <summary>
    /// warn_alloc (mm/page_alloc.c): "%s: page allocation failure: order:%u, mode:%#x(%pGg), nodemask=(null)"
    /// continued by cpuset_print_current_mems_allowed: ",cpuset=/,mems_allowed=%*pbl".
    /// </summary>
    public static string PageAllocationFailure(string comm, int order, Gfp gfp, string memsAllowed) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{comm}: page allocation failure: order:{order}, mode:{Mode(gfp)}({GfpFlags.Format(gfp)}), nodemask=(null),cpuset=/,mems_allowed={memsAllowed}");

    /// <summary>__might_resched's report of a sleeping allocation in atomic context, its first three lines.</summary>
    public static IReadOnlyList<string> SleepingInAtomic(string comm, int pid, CpuContext context) =>
    [
        $"BUG: sleeping function called from invalid context at {MightSleepSite}",
        string.Create(CultureInfo.InvariantCulture,
            $"in_atomic(): 1, irqs_disabled(): {(context.IrqsDisabled() ? 1 : 0)}, non_block: 0, pid: {pid}, name: {comm}"),
        string.Create(CultureInfo.InvariantCulture, $"preempt_count: {context.PreemptCount():x}, expected: 0"),
    ];

    /// <summary>%#x of a gfp mask: "0x" and lowercase hex, or "0" for none.</summary>
    public static string Mode(Gfp gfp) => gfp == Gfp.None ? "0" : string.Create(CultureInfo.InvariantCulture, $"0x{(uint)gfp:x}");
}
