namespace NumaSim.Actors.Engine;

/// <summary>
/// Ids of simulated components: zones by their zone index, CPUs above them, each CPU's slab
/// front-end above those. Ids order events that tie in time. CPUs and slab front-ends are both
/// "CPU side" to the clock: they ask zones and wait for answers.
/// </summary>
public static class ComponentIds
{
    public const int CpuBase = 1 << 20;

    public const int SlabBase = 2 << 20;

    public static int Zone(int zoneIndex) => zoneIndex;

    public static int Cpu(int cpu) => CpuBase + cpu;

    public static int Slab(int cpu) => SlabBase + cpu;

    /// <summary>The random stream of a slab front-end's workload (tasks draw from 2 &lt;&lt; 20 + task id).</summary>
    public static int SlabRandomStream(int cpu) => (3 << 20) + cpu;

    /// <summary>A CPU or a CPU's slab front-end.</summary>
    public static bool IsCpu(int id) => id >= CpuBase;

    public static bool IsSlab(int id) => id >= SlabBase;

    /// <summary>The CPU a CPU-side component belongs to.</summary>
    public static int CpuOf(int id) => id >= SlabBase ? id - SlabBase : id - CpuBase;
}
