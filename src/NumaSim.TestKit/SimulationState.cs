using System.Globalization;
using NumaSim.Actors.Coordination;
using NumaSim.Formats.Output;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Topology;
using NumaSim.Results;

namespace NumaSim.TestKit;

/// <summary>
/// A finished (or stopped) run as a test asserts on it: the same numbers the output tree and summary.json carry,
/// by node, zone, cache and kind, and any /proc file as the kernel would print it.
/// </summary>
public sealed class SimulationState(SimulationResult result)
{
    /// <summary>What the run returned: the machine's state and the summary.</summary>
    public SimulationResult Result { get; } = result ?? throw new ArgumentNullException(nameof(result));

    /// <summary>Nodes, zones, free areas and per-CPU lists at the end of the run.</summary>
    public MachineSnapshot Machine => Result.Machine;

    /// <summary>What summary.json carries.</summary>
    public RunSummary Summary => Result.Summary;

    /// <summary>The simulated time the run reached, in nanoseconds.</summary>
    public long SimulatedNs => Summary.SimulatedNs;

    /// <summary>False when the run stopped early (<see cref="NumaScenario.StopAt"/>, a panic); see <see cref="IncompleteReason"/>.</summary>
    public bool Complete => Summary.Complete;

    /// <summary>Why the run stopped early, or null when it is complete.</summary>
    public string? IncompleteReason => Summary.IncompleteReason;

    /// <summary>"Kernel panic - not syncing: ..." when the simulated kernel panicked (the CLI exits 3).</summary>
    public string? Panic => Summary.Panic;

    /// <summary>The node's numastat counters: numa_hit, numa_miss, numa_foreign, interleave_hit, local_node, other_node.</summary>
    public NumaEvents Numastat(int node) => NodeOf(node).Numa;

    /// <summary>numa_miss over all allocations (numa_hit + numa_miss) of the machine.</summary>
    public double NumaMissRatio
    {
        get
        {
            var all = Machine.Nodes.Aggregate(NumaEvents.Zero, (acc, n) => acc.Add(n.Numa));
            return all.Hit + all.Miss == 0 ? 0 : (double)all.Miss / (all.Hit + all.Miss);
        }
    }

    /// <summary>/proc/buddyinfo's row for a zone: free blocks at each order.</summary>
    public IReadOnlyList<long> Buddyinfo(int node, ZoneType zone)
    {
        var z = ZoneOf(node, zone);
        return [.. Enumerable.Range(0, z.FreeBlocks[0].Length).Select(z.FreeBlocksAtOrder)];
    }

    /// <summary>
    /// A field of the zone's section of /proc/zoneinfo, as printed ("pages free", "min", "nr_free_pages",
    /// "numa_miss", "managed", "protection" gives its first value).
    /// </summary>
    public long Zoneinfo(int node, ZoneType zone, string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var header = $"Node {node}, zone {ZoneName(zone),8}";
        var text = Proc("zoneinfo");
        var start = text.IndexOf(header, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new ArgumentException($"zoneinfo has no {header.Trim()}", nameof(zone));
        }
        var next = text.IndexOf("\nNode ", start + header.Length, StringComparison.Ordinal);
        foreach (var line in text[start..(next < 0 ? text.Length : next)].Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith(field + " ", StringComparison.Ordinal) || trimmed.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var value = trimmed[field.Length..].Trim(' ', ':', '(', ')').Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)[0];
                return long.Parse(value, CultureInfo.InvariantCulture);
            }
        }
        throw new ArgumentException($"zoneinfo's {header.Trim()} has no field \"{field}\"", nameof(field));
    }

    /// <summary>A cache's /proc/slabinfo row (every CPU's part of it summed).</summary>
    public SlabCacheSnapshot Slabinfo(string cache) =>
        Machine.SlabCaches.FirstOrDefault(c => c.Name == cache)
        ?? throw new ArgumentException($"slabinfo has no cache {cache}", nameof(cache));

    /// <summary>A /proc/vmstat counter (pgfault, nr_page_table_pages, nr_slab_unreclaimable, pgalloc_normal, ...).</summary>
    public long Vmstat(string name)
    {
        foreach (var line in Proc("vmstat").Split('\n'))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && parts[0] == name)
            {
                return long.Parse(parts[1], CultureInfo.InvariantCulture);
            }
        }
        throw new ArgumentException($"vmstat has no {name}", nameof(name));
    }

    /// <summary>TLB hits and misses over every CPU.</summary>
    public TlbCounts Tlb => Summary.Tlb;

    /// <summary>What the MMU did: faults, segmentation faults, shootdowns and their IPIs, task migrations, TLB
    /// evictions.</summary>
    public MmuTotals Mmu => Summary.Mmu;

    /// <summary>The kernel calls (kmalloc, kmem_cache_*, vmalloc) and what they reported; zero without a kernel
    /// workload.</summary>
    public KernelTotals Kernel => Summary.Kernel ?? KernelTotals.Zero;

    /// <summary>Page allocations requested, served (and of those, remotely), failed, and the frees.</summary>
    public AllocationTotals Allocations => Summary.Allocations;

    /// <summary>Latency percentiles of one kind (tlb_hit_local, tlb_hit_remote, walk, fault, alloc_zone_remote, kmalloc, ...).</summary>
    public LatencyStats Latency(string kind) =>
        Summary.LatencyNs.TryGetValue(kind, out var stats) ? stats : throw new ArgumentException($"no latency of kind {kind} in this run", nameof(kind));

    /// <summary>What the simulated kernel reported (slab-debug reports, BUGs, allocation failures, segfaults), in simulated time.</summary>
    public IReadOnlyList<SimError> KernelReports => Summary.Errors;

    /// <summary>A file as the kernel prints it: buddyinfo, pagetypeinfo, zoneinfo, slabinfo, vmstat, vmallocinfo,
    /// numastat, meminfo, node-meminfo, hardware.</summary>
    public string Proc(string name) => OutputTreeWriter.RenderProc(name, Machine);

    private NodeSnapshot NodeOf(int node) =>
        Machine.Nodes.FirstOrDefault(n => n.Node == node) ?? throw new ArgumentException($"the machine has no node {node}", nameof(node));

    private ZoneSnapshot ZoneOf(int node, ZoneType zone) =>
        NodeOf(node).Zones.FirstOrDefault(z => z.Type == zone) ?? throw new ArgumentException($"node {node} has no populated {zone} zone", nameof(zone));

    private static string ZoneName(ZoneType zone) => zone.KernelName();
}
