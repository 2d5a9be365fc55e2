namespace NumaSim.Model.Sched;

/// <summary>kernel.numa_balancing's bits (NUMA_BALANCING_NORMAL, NUMA_BALANCING_MEMORY_TIERING).</summary>
[Flags]
public enum NumaBalancingMode
{
    Disabled = 0,
    Normal = 1,
    MemoryTiering = 2,
}
