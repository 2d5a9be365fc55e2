namespace NumaSim.Actors.Engine;

/// <summary>Ids of simulated components: zones by their zone index, CPUs above them. Ids order events that tie in time.</summary>
public static class ComponentIds
{
    public const int CpuBase = 1 << 20;

    public static int Zone(int zoneIndex) => zoneIndex;

    public static int Cpu(int cpu) => CpuBase + cpu;

    public static bool IsCpu(int id) => id >= CpuBase;
}
