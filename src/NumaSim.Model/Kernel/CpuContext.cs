namespace NumaSim.Model.Kernel;

/// <summary>What a CPU is running: a task, or an interrupt handler that must not sleep.</summary>
public enum CpuContext
{
    Process,
    Softirq,
    Tasklet,
    Hardirq,
}

public static class CpuContexts
{
    /// <summary>SOFTIRQ_OFFSET and HARDIRQ_OFFSET (include/linux/preempt.h): preempt_count while serving one.</summary>
    private const int SoftirqOffset = 0x100;
    private const int HardirqOffset = 0x10000;

    /// <summary>in_atomic(): anything but a task may not sleep.</summary>
    public static bool IsAtomic(this CpuContext context) => context != CpuContext.Process;

    /// <summary>preempt_count() as ___might_sleep prints it; a tasklet runs inside softirq processing.</summary>
    public static int PreemptCount(this CpuContext context) => context switch
    {
        CpuContext.Softirq or CpuContext.Tasklet => SoftirqOffset,
        CpuContext.Hardirq => HardirqOffset,
        _ => 0,
    };

    /// <summary>Interrupts are off in a hard interrupt handler.</summary>
    public static bool IrqsDisabled(this CpuContext context) => context == CpuContext.Hardirq;

    public static string Name(this CpuContext context) => context.ToString().ToLowerInvariant();

    public static bool TryParse(string text, out CpuContext context)
    {
        foreach (var candidate in Enum.GetValues<CpuContext>())
        {
            if (candidate.Name() == text)
            {
                context = candidate;
                return true;
            }
        }
        context = CpuContext.Process;
        return false;
    }
}
