using NumaSim.Model.Topology;

namespace NumaSim.Oracle.Qemu;

/// <summary>One NUMA node of the guest: its CPUs (none: a memory-only node), its memory and, with HMAT, its access attributes.</summary>
public sealed record GuestNode(int Id, IReadOnlyList<int> Cpus, long MemoryMiB, NodeAccess? Access);

/// <summary>The machine QEMU emulates for a scenario: its nodes and the SLIT.</summary>
public sealed record GuestMachine(IReadOnlyList<GuestNode> Nodes, int[][] Distance)
{
    /// <summary>ACPI HMAT is given when every node has access attributes (a partial HMAT would be a machine the scenario does not describe).</summary>
    public bool Hmat => Nodes.All(n => n.Access is not null);

    public int CpuCount => Nodes.SelectMany(n => n.Cpus).DefaultIfEmpty(-1).Max() + 1;

    public long MemoryMiB => Nodes.Sum(n => n.MemoryMiB);

    /// <summary>The scenario's machine: each node's present pages, rounded up to whole MiB (QEMU sizes memory in MiB).</summary>
    public static GuestMachine Of(MachineTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var pageBytes = topology.Arch.PageSize;
        var nodes = topology.Nodes.OrderBy(n => n.Id)
            .Select(n => new GuestNode(n.Id, n.Cpus, (n.Zones.Sum(z => z.Present) * pageBytes + (1L << 20) - 1) >> 20, n.Access))
            .ToList();
        return new GuestMachine(nodes, topology.Distance);
    }

    /// <summary>
    /// The node whose CPUs reach a memory-only node first (lowest distance, then lowest id): HMAT names an
    /// initiator for every memory node, as the firmware of a CXL expander does.
    /// </summary>
    public int InitiatorOf(GuestNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Cpus.Count > 0)
        {
            return node.Id;
        }
        return Nodes.Where(n => n.Cpus.Count > 0)
            .OrderBy(n => Distance[n.Id][node.Id]).ThenBy(n => n.Id)
            .Select(n => n.Id)
            .DefaultIfEmpty(0)
            .First();
    }
}
