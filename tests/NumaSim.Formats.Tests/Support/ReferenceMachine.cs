using NumaSim.Formats.Import;
using NumaSim.Formats.Proc;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Tests.Support;

/// <summary>
/// A MachineSnapshot of the reference machine (1 node, 2 CPUs): topology from the importer,
/// free lists from buddyinfo or pagetypeinfo, watermarks, pagesets and counters from zoneinfo,
/// events from vmstat, caches from slabinfo. Rendering it should give back the real files.
/// </summary>
internal static class ReferenceMachine
{
    public static MachineTopology Topology() => ProcfsTopologyImporter.Import(RepositoryPaths.Reference);

    public static MachineSnapshot Build(FreeBlocksSource source = FreeBlocksSource.Pagetypeinfo)
    {
        var topology = Topology();
        var blocks = ReferenceZoneinfo.Parse(RepositoryPaths.ReadReference("zoneinfo"));
        var pagetypeinfo = RepositoryPaths.ReadReference("pagetypeinfo");
        var freeByType = ReferenceFreeAreas.FreeByType(pagetypeinfo);
        var blocksByType = ReferenceFreeAreas.BlocksByType(pagetypeinfo);
        var buddy = ReferenceFreeAreas.Buddyinfo(RepositoryPaths.ReadReference("buddyinfo"));
        var hugePages = topology.Arch.PageSize / 8;

        var nodes = topology.Nodes.Select(node =>
        {
            var zones = node.Zones.Select(spec =>
            {
                var b = blocks.Single(x => x.Node == node.Id && x.Type == spec.Type);
                var key = (node.Id, spec.Type);
                var free = source == FreeBlocksSource.Pagetypeinfo ? freeByType[key] : OnMovableList(buddy[key]);
                var numa = new NumaEvents(b.ZoneItem("numa_hit"), b.ZoneItem("numa_miss"), b.ZoneItem("numa_foreign"),
                    b.ZoneItem("numa_interleave"), b.ZoneItem("numa_local"), b.ZoneItem("numa_other"));
                var boost = b.Field("boost");
                var marks = new ZoneWatermarks(b.Field("min") - boost, b.Field("low") - boost, b.Field("high") - boost,
                    b.Field("promo") - boost, boost);
                return new ZoneSnapshot(node.Id, spec, b.Field("free"), b.ZoneItem("nr_free_pages_blocks"), marks,
                    b.Protection, free, blocksByType[key], numa, b.Pagesets, b.StatThreshold, spec.Managed - b.Field("free"));
            }).ToList();

            // NodeStats keep base pages as the kernel does; zoneinfo printed the THP items in huge pages.
            var first = blocks.First(x => x.Node == node.Id && x.NodeStats.Count > 0);
            var stats = first.NodeStats.Select(kv => KeyValuePair.Create(kv.Key,
                VmstatItemNames.ThpCountedItems.Contains(CountersByName.Item<NodeStatItem>(kv.Key, VmstatItemNames.Name)) ? kv.Value * hugePages : kv.Value));
            return new NodeSnapshot(node.Id, zones, CountersByName.Node(stats));
        }).ToList();

        var vmstat = ReferenceCounters.NameValues(RepositoryPaths.ReadReference("vmstat"));
        var events = CountersByName.Events(VmstatItemNames.EventItems.Select(n => KeyValuePair.Create(n, vmstat[n])));
        var caches = ReferenceCounters.SlabCaches(RepositoryPaths.ReadReference("slabinfo"));
        return new MachineSnapshot(topology, nodes, events, caches);
    }

    /// <summary>The same snapshot with the node's NUMA counters moved so they sum to sys-node0/numastat.</summary>
    public static MachineSnapshot WithSysNumastat(MachineSnapshot s)
    {
        var numastat = ReferenceCounters.Numastat(RepositoryPaths.ReadReference("sys-node0/numastat"));
        var node = s.Nodes[0];
        var zones = node.Zones.Select(z => z with { Numa = z.Type == ZoneType.Normal ? numastat : NumaEvents.Zero }).ToList();
        return s with { Nodes = [node with { Zones = zones }] };
    }

    private static long[][] OnMovableList(long[] perOrder)
    {
        var lists = Enumerable.Range(0, MigrateTypes.Count).Select(_ => new long[perOrder.Length]).ToArray();
        lists[(int)MigrateType.Movable] = perOrder;
        return lists;
    }
}
