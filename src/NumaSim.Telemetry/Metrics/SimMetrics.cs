using System.Diagnostics.Metrics;
using NumaSim.Model.Snapshots;

namespace NumaSim.Telemetry.Metrics;

/// <summary>
/// The NumaSim meter's instruments. Every instrument is observable: it reads the last
/// <see cref="MetricsSnapshot"/> the run published, so the simulation's hot paths count nothing
/// extra for them. The latency histograms are read from the distributions the components keep anyway
/// (<see cref="MetricsSnapshot.AccessLatency"/> by node pair).
/// </summary>
public static class SimMetrics
{
    public const string NodeAttribute = "numa.node";
    public const string CpuAttribute = "numa.cpu";
    public const string ZoneAttribute = "mem.zone";
    public const string OrderAttribute = "mem.order";
    public const string CacheAttribute = "slab.cache";
    public const string KindAttribute = "sim.kind";
    public const string GfpClassAttribute = "mem.gfp_class";
    public const string SrcNodeAttribute = "numa.src_node";
    public const string DstNodeAttribute = "numa.dst_node";
    public const string LruAttribute = "mem.lru";
    public const string VmstatItemAttribute = "vmstat.item";

    private static MetricsSnapshot _current = MetricsSnapshot.Empty;

    /// <summary>Upper bounds (ns) of the latency buckets: a TLB hit (tens of ns) to a fault (microseconds).</summary>
    public static readonly long[] LatencyBuckets = [25, 50, 100, 150, 200, 300, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];

    static SimMetrics()
    {
        var m = NumaSimTelemetry.Meter;
        Numa(m, "numasim.numa_hit", "Pages allocated on the node as intended", e => e.Hit);
        Numa(m, "numasim.numa_miss", "Pages allocated on the node although another was preferred", e => e.Miss);
        Numa(m, "numasim.numa_foreign", "Pages intended for the node but allocated elsewhere", e => e.Foreign);
        Numa(m, "numasim.interleave_hit", "Interleaved pages allocated on the node as intended", e => e.InterleaveHit);
        Numa(m, "numasim.local_node", "Pages allocated on the node by a CPU of the node", e => e.Local);
        Numa(m, "numasim.other_node", "Pages allocated on the node by a CPU of another node", e => e.Other);
        m.CreateObservableCounter("numasim.tlb.hits", () => PerCpu(c => c.TlbHits), "{hit}", "TLB hits per CPU");
        m.CreateObservableCounter("numasim.tlb.misses", () => PerCpu(c => c.TlbMisses), "{miss}", "TLB misses per CPU");
        m.CreateObservableCounter("numasim.page_faults", () => PerCpu(c => c.Faults), "{fault}", "Demand page faults per CPU");
        m.CreateObservableCounter("numasim.page.allocations", () => PerZone(z => z.Allocations), "{page}", "Page allocations served by each zone");
        m.CreateObservableCounter("numasim.page.allocation_failures", () => _current.AllocationFailures, "{allocation}", "Page and kernel allocations that failed");
        m.CreateObservableCounter("numasim.page.allocations_by_class", () => ByClass(a => a.Served), "{allocation}", "Stream page allocations served, by order and gfp class");
        m.CreateObservableCounter("numasim.page.allocation_failures_by_class", () => ByClass(a => a.Failed), "{allocation}", "Stream page allocations that failed, by order and gfp class");
        m.CreateObservableGauge("numasim.zone.free_pages", () => PerZone(z => z.FreePages), "{page}", "Free pages per zone");
        m.CreateObservableGauge("numasim.zone.free_blocks", FreeBlocks, "{block}", "Free buddy blocks per zone and order (buddyinfo)");
        m.CreateObservableGauge("numasim.slab.active_objects", () => PerCache(c => c.ActiveObjects), "{object}", "Active objects per slab cache");
        m.CreateObservableGauge("numasim.slab.objects", () => PerCache(c => c.Objects), "{object}", "Objects (active and free) per slab cache");
        m.CreateObservableGauge("numasim.node.lru_pages", LruPages, "{page}", "Pages on each node's LRU lists, by list (inactive_anon, active_anon, inactive_file, active_file)");
        m.CreateObservableGauge("numasim.node.file_pages", () => PerNode(n => n.FilePages), "{page}", "Page-cache pages per node (nr_file_pages)");
        m.CreateObservableGauge("numasim.node.anon_pages", () => PerNode(n => n.AnonPages), "{page}", "Anonymous pages mapped per node (nr_anon_pages)");
        m.CreateObservableCounter("numasim.vmstat.pressure", PressureEvents, "{event}", "Reclaim, swap and OOM events, by their /proc/vmstat name (vmstat.item)");
        m.CreateObservableCounter("numasim.vmstat.migration", MigrationEvents, "{event}", "NUMA balancing, promotion and page migration events, by their /proc/vmstat name (vmstat.item)");
        m.CreateObservableCounter("numasim.operations", () => _current.Operations, "{operation}", "Workload operations completed");
        m.CreateObservableGauge("numasim.simulated_time", () => _current.SimulatedNs, "ns", "Simulated time reached");
        // The latency histogram as Prometheus spells one (cumulative buckets by upper bound, a count and a
        // sum), read from the exact per-kind distributions the components keep anyway: recording each
        // access into a Histogram instrument instead cost more than half the simulator's speed.
        m.CreateObservableCounter("numasim.latency.bucket", LatencyBucketCounts, "{operation}", "Operations of each kind whose simulated latency is at most le ns");
        m.CreateObservableCounter("numasim.latency.count", () => PerKind(k => k.Count), "{operation}", "Operations of each kind");
        m.CreateObservableCounter("numasim.latency.sum", () => PerKind(k => k.SumNs), "ns", "Simulated latency of each kind, summed");
        // Memory accesses again by node pair (the CPU's node, the page's node): where remote latency comes from.
        m.CreateObservableCounter("numasim.access_latency.bucket", AccessBucketCounts, "{access}", "Memory accesses of each kind and node pair whose simulated latency is at most le ns");
        m.CreateObservableCounter("numasim.access_latency.count", () => PerPair(p => p.Latency.Count), "{access}", "Memory accesses of each kind and node pair");
        m.CreateObservableCounter("numasim.access_latency.sum", () => PerPair(p => p.Latency.SumNs), "ns", "Simulated latency of memory accesses of each kind and node pair, summed");
    }

    /// <summary>The snapshot the instruments report from now on.</summary>
    public static MetricsSnapshot Current => Volatile.Read(ref _current);

    public static void Publish(MetricsSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Volatile.Write(ref _current, snapshot);
    }

    private static void Numa(Meter m, string name, string description, Func<NumaEvents, long> value) =>
        m.CreateObservableCounter(name, () => Volatile.Read(ref _current).Numastat.Select(n => new Measurement<long>(value(n.Numa), new KeyValuePair<string, object?>(NodeAttribute, n.Node))), "{page}", description);

    private static IEnumerable<Measurement<long>> PerCpu(Func<CpuCounters, long> value) =>
        Volatile.Read(ref _current).Cpus.Select(c => new Measurement<long>(value(c), new KeyValuePair<string, object?>(CpuAttribute, c.Cpu), new KeyValuePair<string, object?>(NodeAttribute, c.Node)));

    private static IEnumerable<Measurement<long>> PerNode(Func<NodeMemoryMetrics, long> value) =>
        Volatile.Read(ref _current).NodeMemory.Select(n => new Measurement<long>(value(n), new KeyValuePair<string, object?>(NodeAttribute, n.Node)));

    private static IEnumerable<Measurement<long>> LruPages() =>
        Volatile.Read(ref _current).NodeMemory.SelectMany(n => new[]
        {
            ("inactive_anon", n.InactiveAnon), ("active_anon", n.ActiveAnon), ("inactive_file", n.InactiveFile), ("active_file", n.ActiveFile),
        }.Select(l => new Measurement<long>(l.Item2, new KeyValuePair<string, object?>(NodeAttribute, n.Node), new KeyValuePair<string, object?>(LruAttribute, l.Item1))));

    private static IEnumerable<Measurement<long>> PressureEvents() => VmstatEvents(Volatile.Read(ref _current).Pressure);

    private static IEnumerable<Measurement<long>> MigrationEvents() => VmstatEvents(Volatile.Read(ref _current).Migration);

    private static IEnumerable<Measurement<long>> VmstatEvents(IEnumerable<(string Name, long Value)> events) =>
        events.Select(e => new Measurement<long>(e.Value, new KeyValuePair<string, object?>(VmstatItemAttribute, e.Name)));

    private static IEnumerable<Measurement<long>> PerZone(Func<ZoneMetrics, long> value) =>
        Volatile.Read(ref _current).Zones.Select(z => new Measurement<long>(value(z), new KeyValuePair<string, object?>(NodeAttribute, z.Node), new KeyValuePair<string, object?>(ZoneAttribute, z.Zone)));

    private static IEnumerable<Measurement<long>> FreeBlocks() =>
        Volatile.Read(ref _current).Zones.SelectMany(z => z.FreeBlocksByOrder.Select((blocks, order) => new Measurement<long>(
            blocks,
            new KeyValuePair<string, object?>(NodeAttribute, z.Node),
            new KeyValuePair<string, object?>(ZoneAttribute, z.Zone),
            new KeyValuePair<string, object?>(OrderAttribute, order))));

    private static IEnumerable<Measurement<long>> LatencyBucketCounts() =>
        Volatile.Read(ref _current).Latency.SelectMany(k => k.Buckets.Select((count, i) => new Measurement<long>(
            count,
            new KeyValuePair<string, object?>(KindAttribute, k.Kind),
            new KeyValuePair<string, object?>("le", i < LatencyBuckets.Length ? LatencyBuckets[i].ToString(System.Globalization.CultureInfo.InvariantCulture) : "+Inf"))));

    private static IEnumerable<Measurement<long>> AccessBucketCounts() =>
        Volatile.Read(ref _current).AccessLatency.SelectMany(p => p.Latency.Buckets.Select((count, i) => new Measurement<long>(
            count,
            new KeyValuePair<string, object?>(KindAttribute, p.Latency.Kind),
            new KeyValuePair<string, object?>(SrcNodeAttribute, p.SrcNode),
            new KeyValuePair<string, object?>(DstNodeAttribute, p.DstNode),
            new KeyValuePair<string, object?>("le", i < LatencyBuckets.Length ? LatencyBuckets[i].ToString(System.Globalization.CultureInfo.InvariantCulture) : "+Inf"))));

    private static IEnumerable<Measurement<long>> PerPair(Func<NodePairLatencyMetrics, long> value) =>
        Volatile.Read(ref _current).AccessLatency.Select(p => new Measurement<long>(
            value(p),
            new KeyValuePair<string, object?>(KindAttribute, p.Latency.Kind),
            new KeyValuePair<string, object?>(SrcNodeAttribute, p.SrcNode),
            new KeyValuePair<string, object?>(DstNodeAttribute, p.DstNode)));

    private static IEnumerable<Measurement<long>> PerKind(Func<LatencyMetrics, long> value) =>
        Volatile.Read(ref _current).Latency.Select(k => new Measurement<long>(value(k), new KeyValuePair<string, object?>(KindAttribute, k.Kind)));

    private static IEnumerable<Measurement<long>> ByClass(Func<AllocationClassCount, long> value) =>
        Volatile.Read(ref _current).AllocationsByClass.Select(a => new Measurement<long>(
            value(a), new KeyValuePair<string, object?>(OrderAttribute, a.Order), new KeyValuePair<string, object?>(GfpClassAttribute, a.GfpClass)));

    private static IEnumerable<Measurement<long>> PerCache(Func<(string Cache, long ActiveObjects, long Objects), long> value) =>
        Volatile.Read(ref _current).Slabs.Select(c => new Measurement<long>(value(c), new KeyValuePair<string, object?>(CacheAttribute, c.Cache)));
}
