using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Tests.Support;

/// <summary>
/// A three-node machine the reference cannot show: node 0 (CPUs 0-7; DMA, DMA32, Normal),
/// node 1 (CPUs 8-15; Normal only) and node 2 (no CPUs; Movable only, like CXL memory).
/// Every zone has half its managed pages free on the Movable lists, as order-10 blocks with the
/// remainder at order 0 (as a freshly booted zone looks).
/// </summary>
internal static class SyntheticMachine
{
    public static MachineTopology Topology() => new(
        "synthetic",
        Architecture.X86_64,
        [
            new NodeSpec(0, [.. Enumerable.Range(0, 8)],
            [
                new ZoneSpec(ZoneType.Dma, 1, 4095, 3998, 3840),
                new ZoneSpec(ZoneType.Dma32, 4096, 1044480, 1044480, 1000000),
                new ZoneSpec(ZoneType.Normal, 1048576, 1048576, 1048576, 1000000),
            ]),
            new NodeSpec(1, [.. Enumerable.Range(8, 8)], [new ZoneSpec(ZoneType.Normal, 2097152, 2097152, 2097152, 2000000)]),
            new NodeSpec(2, [], [new ZoneSpec(ZoneType.Movable, 4194304, 262144, 262144, 262144)]),
        ],
        [[10, 21, 30], [21, 10, 30], [30, 30, 10]],
        VmTunables.Default);

    public static MachineSnapshot Build()
    {
        var topology = Topology();
        var nodes = topology.Nodes.Select(n => new NodeSnapshot(
            n.Id,
            [.. n.Zones.Select(spec => Zone(topology, n.Id, spec))],
            CountersByName.Node(new Dictionary<string, long> { ["nr_slab_unreclaimable"] = 100 * (n.Id + 1), ["nr_kernel_stack"] = 64 })))
            .ToList();
        var events = CountersByName.Events(new Dictionary<string, long> { ["pgalloc_normal"] = 123, ["pgfree"] = 45 });
        SlabCacheSnapshot[] caches =
        [
            .. new[] { "kmalloc-8", "kmalloc-96", "kmalloc-192", "kmalloc-1k", "kmalloc-8k", "dma-kmalloc-64" }
                .Select(name => new SlabCacheSnapshot(name, 10, 16, 64, 64, 1, 1, 1, false)),
        ];
        return new MachineSnapshot(topology, nodes, events, caches);
    }

    private static ZoneSnapshot Zone(MachineTopology t, int node, ZoneSpec spec)
    {
        var orders = t.Arch.MaxOrder + 1;
        var free = Enumerable.Range(0, MigrateTypes.Count).Select(_ => new long[orders]).ToArray();
        var freePages = spec.Managed / 2;
        var maxOrderPages = 1L << t.Arch.MaxOrder;
        free[(int)MigrateType.Movable][t.Arch.MaxOrder] = freePages / maxOrderPages;
        free[(int)MigrateType.Movable][0] = freePages % maxOrderPages;
        var numa = new NumaEvents(1000 * (node + 1), node, 2 * node, 7, 1000 * (node + 1), node);
        var pagesets = t.AllCpus.Select(cpu => new PagesetSnapshot(cpu, 0, 0, 1, 32, 240)).ToList();
        long[] blocks = [0, spec.Managed >> t.Arch.PageblockOrder, 0, 0, 0];
        return new ZoneSnapshot(node, spec, spec.Managed / 2, spec.Managed / 2, new ZoneWatermarks(10, 12, 14, 16),
            [0, 0, 0, 0, 0], free, blocks, numa, pagesets, 24, spec.Managed / 2);
    }
}
