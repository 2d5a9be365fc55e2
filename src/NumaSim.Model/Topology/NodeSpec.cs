namespace NumaSim.Model.Topology;

/// <summary>A NUMA node: its CPUs and its populated zones, lowest zone first.</summary>
public sealed record NodeSpec(int Id, IReadOnlyList<int> Cpus, IReadOnlyList<ZoneSpec> Zones)
{
    /// <summary>HMAT's access performance for this node's memory, where the machine reports it.</summary>
    public NodeAccess? Access { get; init; }

    /// <summary>A node with memory and no CPUs (a CXL expander, persistent memory): every allocation on it is remote.</summary>
    public bool MemoryOnly => Cpus.Count == 0;

    public ZoneSpec? Zone(ZoneType type) => Zones.FirstOrDefault(z => z.Type == type);

    public long ManagedPages => Zones.Sum(z => z.Managed);
}
