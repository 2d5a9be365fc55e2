using NumaSim.Model.Topology;

namespace NumaSim.Model.Snapshots;

/// <summary>
/// Everything the output formats read, as plain data: the topology, every node and zone, the
/// global vm event counters (vm_event_item names: pgfree, pgalloc_normal, allocstall_normal, ...)
/// and the slab caches. Renderers print 0 for any counter missing here.
/// </summary>
public sealed record MachineSnapshot(
    MachineTopology Topology,
    IReadOnlyList<NodeSnapshot> Nodes,
    IReadOnlyDictionary<string, long> VmEvents,
    IReadOnlyList<SlabCacheSnapshot> SlabCaches)
{
    public IEnumerable<ZoneSnapshot> Zones => Nodes.SelectMany(n => n.Zones);

    /// <summary>The vmalloc area, when the run made kernel allocations (null: nothing reserved, as after boot here).</summary>
    public VmallocSnapshot? Vmalloc { get; init; }

    public long Event(string name) => VmEvents.TryGetValue(name, out var v) ? v : 0;
}
