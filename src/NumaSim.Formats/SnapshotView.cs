using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Formats;

/// <summary>
/// The walks every renderer shares, in the kernel's order: nodes by id, zones low to high, and
/// the conversions the kernel applies when it prints (pages to kB, THP counters to huge pages).
/// </summary>
public static class SnapshotView
{
    /// <summary>Nodes by id, as for_each_online_pgdat visits them.</summary>
    public static IEnumerable<NodeSnapshot> OrderedNodes(this MachineSnapshot s) => s.Nodes.OrderBy(n => n.Node);

    /// <summary>The node's populated zones, lowest zone type first.</summary>
    public static IEnumerable<ZoneSnapshot> OrderedZones(this NodeSnapshot node) => node.Zones.OrderBy(z => z.Type);

    public static ZoneSnapshot? ZoneOrNull(this NodeSnapshot node, ZoneType type) =>
        node.Zones.FirstOrDefault(z => z.Type == type);

    /// <summary>The node's snapshot, or an empty one when the run recorded nothing for it.</summary>
    public static NodeSnapshot NodeOrEmpty(this MachineSnapshot s, int node) =>
        s.Nodes.FirstOrDefault(n => n.Node == node) ?? new NodeSnapshot(node, [], Counters<NodeStatItem>.Zero);

    /// <summary>Node ids of the machine, ascending (the nodeN directories).</summary>
    public static IEnumerable<int> NodeIds(this MachineSnapshot s) => s.Topology.Nodes.Select(n => n.Id).Order();

    public static IReadOnlyList<int> CpusOf(this MachineSnapshot s, int node) =>
        s.Topology.Nodes.FirstOrDefault(n => n.Id == node)?.Cpus ?? [];

    /// <summary>NR_PAGE_ORDERS: the buddy orders 0..MAX_PAGE_ORDER every free-area row prints.</summary>
    public static int PageOrders(this MachineSnapshot s) => s.Topology.Arch.MaxOrder + 1;

    /// <summary>The kernel's K(x): pages to kB.</summary>
    public static long PagesToKb(this MachineSnapshot s, long pages) => pages * (s.Topology.Arch.PageSize / 1024);

    /// <summary>The NUMA event counters in enum numa_stat_item order.</summary>
    public static long[] NumaItemValues(this NumaEvents e) => [.. Enum.GetValues<NumaStatItem>().Select(item => e[item])];

    /// <summary>
    /// A node_stat_item as zoneinfo and vmstat print it: NodeStats keep base pages (as the kernel
    /// does), the THP items are shown in huge pages.
    /// </summary>
    public static long PrintedNodeItem(this MachineSnapshot s, long value, NodeStatItem item) =>
        Proc.VmstatItemNames.ThpCountedItems.Contains(item) ? value / s.PmdHugePages() : value;

    /// <summary>HPAGE_PMD_NR: base pages in a PMD-mapped huge page (one page table page of 8-byte entries).</summary>
    public static long PmdHugePages(this MachineSnapshot s) => s.Topology.Arch.PageSize / 8;
}
