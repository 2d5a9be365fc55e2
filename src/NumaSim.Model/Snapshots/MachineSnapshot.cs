using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Snapshots;

/// <summary>
/// Everything the output formats read, as plain data: the topology, every node and zone, the
/// global vm event counters (vm_event_item: pgfree, pgalloc_normal, allocstall_normal, ...) and
/// the slab caches.
/// </summary>
public sealed record MachineSnapshot(
    MachineTopology Topology,
    IReadOnlyList<NodeSnapshot> Nodes,
    Counters<VmEventItem> VmEvents,
    IReadOnlyList<SlabCacheSnapshot> SlabCaches)
{
    public IEnumerable<ZoneSnapshot> Zones => Nodes.SelectMany(n => n.Zones);

    /// <summary>The vmalloc area, when the run made kernel allocations (null: nothing reserved, as after boot here).</summary>
    public VmallocSnapshot? Vmalloc { get; init; }

    /// <summary>The swap slots free (get_nr_swap_pages); null: all of the topology's swap area (none in use).</summary>
    public long? SwapFreePages { get; init; }

    /// <summary>si->pages of the topology's swap area (total_swap_pages): SwapTotal.</summary>
    public long SwapTotalPages => Swap.SwapSpace.PagesFor(Topology.SwapBytes, Topology.Arch.PageSize);

    public long Event(VmEventItem item) => VmEvents[item];
}
