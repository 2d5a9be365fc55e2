namespace NumaSim.Model.Topology;

/// <summary>The simulated machine: nodes, CPUs, zones, the SLIT distance table and vm tunables.</summary>
public sealed class MachineTopology
{
    public const int LocalDistance = 10;

    public MachineTopology(string name, Architecture arch, IReadOnlyList<NodeSpec> nodes, int[][] distance, VmTunables vm)
    {
        Name = name;
        Arch = arch;
        Nodes = nodes;
        Distance = distance;
        Vm = vm;
        var cpuCount = nodes.Sum(n => n.Cpus.Count);
        _cpuNode = new int[nodes.SelectMany(n => n.Cpus).DefaultIfEmpty(-1).Max() + 1];
        Array.Fill(_cpuNode, -1);
        foreach (var node in nodes)
        {
            foreach (var cpu in node.Cpus)
            {
                _cpuNode[cpu] = node.Id;
            }
        }
        CpuCount = cpuCount;
    }

    private readonly int[] _cpuNode;

    public string Name { get; }
    public Architecture Arch { get; }
    public IReadOnlyList<NodeSpec> Nodes { get; }
    public int[][] Distance { get; }
    public VmTunables Vm { get; }
    public int CpuCount { get; }

    /// <summary>The swap area's size in bytes (numasim.topology.swap); 0: no swap, as the kernel without swapon.</summary>
    public long SwapBytes { get; init; }

    /// <summary>Highest CPU id + 1 (nr_cpu_ids).</summary>
    public int CpuIds => _cpuNode.Length;

    public int NodeOfCpu(int cpu) => _cpuNode[cpu];

    public int DistanceBetween(int fromNode, int toNode) => Distance[fromNode][toNode];

    /// <summary>The zone index (<see cref="ZoneIndex.Of"/>) of the zone that spans a pfn (page_zone).</summary>
    /// <summary>The zone index of a pfn known to be on <paramref name="node"/> (a page-table entry names its node).</summary>
    public int ZoneOfPfn(int node, long pfn) =>
        ZoneIndex.Of(node, Nodes[node].Zones.First(z => pfn >= z.StartPfn && pfn < z.EndPfn).Type);

    public int ZoneOfPfn(long pfn)
    {
        foreach (var node in Nodes)
        {
            foreach (var zone in node.Zones)
            {
                if (pfn >= zone.StartPfn && pfn < zone.EndPfn)
                {
                    return ZoneIndex.Of(node.Id, zone.Type);
                }
            }
        }
        throw new InvalidOperationException($"pfn {pfn} is in no zone");
    }

    public IEnumerable<int> AllCpus => Nodes.SelectMany(n => n.Cpus).Order();

    public long ManagedPages => Nodes.Sum(n => n.ManagedPages);
}
