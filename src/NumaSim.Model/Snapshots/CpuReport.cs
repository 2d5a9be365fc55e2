namespace NumaSim.Model.Snapshots;

/// <summary>What one CPU contributes to the machine's state: its pagesets and per-zone NUMA events, and its vm events.</summary>
public sealed record CpuReport(
    int Cpu,
    IReadOnlyDictionary<int, PagesetSnapshot> Pagesets,
    IReadOnlyDictionary<int, NumaEvents> Numa,
    IReadOnlyDictionary<string, long> VmEvents);
