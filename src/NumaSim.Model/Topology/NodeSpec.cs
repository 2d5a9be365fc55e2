namespace NumaSim.Model.Topology;

/// <summary>A NUMA node: its CPUs and its populated zones, lowest zone first.</summary>
public sealed record NodeSpec(int Id, IReadOnlyList<int> Cpus, IReadOnlyList<ZoneSpec> Zones)
{
    public ZoneSpec? Zone(ZoneType type) => Zones.FirstOrDefault(z => z.Type == type);

    public long ManagedPages => Zones.Sum(z => z.Managed);
}
