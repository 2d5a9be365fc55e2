using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Tiering;

/// <summary>
/// mm/memory-tiers.c as the boot leaves it (memory_tier_late_init, then establish_demotion_targets), with
/// drivers/acpi/numa/hmat.c as the only abstract-distance provider. The CPU nodes' HMAT figures set the default
/// DRAM performance (mt_set_default_dram_perf: the first one is the reference; one more than 10 % off any of its
/// four figures turns the algorithm off). Every node with memory then gets an abstract distance: 576
/// (MEMTIER_ADISTANCE_DRAM) without HMAT, otherwise mt_perf_to_adistance's 576 x latency / DRAM latency x DRAM
/// bandwidth / bandwidth (read + write each, in the kernel's unsigned 32-bit arithmetic). Nodes whose distances
/// round down to the same multiple of 128 share a tier; a tier's id is that multiple >> 7, so DRAM is memory_tier4.
/// Each node demotes to the nodes of the next slower tier that are nearest to it (the preferred targets) and may
/// fall back to any node of a slower tier (the tier's lower_tier_mask).
/// </summary>
public sealed class MemoryTiers
{
    /// <summary>MEMTIER_CHUNK_BITS: each tier covers 128 abstract-distance units.</summary>
    public const int ChunkBits = 7;

    public const int ChunkSize = 1 << ChunkBits;

    /// <summary>MEMTIER_ADISTANCE_DRAM: 4 chunks and a half, so slightly faster memory still joins DRAM's tier.</summary>
    public const int AdistanceDram = (4 * ChunkSize) + (ChunkSize >> 1);

    private readonly int[] _adistance;
    private readonly int[] _tierOf;
    private readonly int[][] _preferred;
    private readonly int[][] _fallback;
    private readonly int _topTierAdistance;

    private MemoryTiers(MachineTopology topology)
    {
        var nodes = topology.Nodes;
        DefaultDramPerf = SetDefaultDramPerf(nodes);
        _adistance = [.. nodes.Select(n => HasMemory(n) ? Adistance(n.Access, DefaultDramPerf) : -1)];
        Tiers = [.. nodes.Where(HasMemory)
            .GroupBy(n => RoundDown(_adistance[n.Id]))
            .OrderBy(g => g.Key)
            .Select(g => new MemoryTier(g.Key, [.. g.Select(n => n.Id).Order()]))];
        _tierOf = new int[nodes.Count];
        Array.Fill(_tierOf, -1);
        for (var i = 0; i < Tiers.Count; i++)
        {
            foreach (var node in Tiers[i].Nodes)
            {
                _tierOf[node] = i;
            }
        }
        var load = new Zonelists(topology).NodeLoad;
        _preferred = [.. nodes.Select(n => PreferredTargets(topology, load, n.Id))];
        _fallback = [.. nodes.Select(n => _tierOf[n.Id] < 0 ? [] : LowerTierNodes(_tierOf[n.Id]))];
        // The slowest tier holding a node with CPUs, and every faster one, is top tier: nothing is promoted from it.
        _topTierAdistance = Tiers.LastOrDefault(t => t.Nodes.Any(n => nodes[n].Cpus.Count > 0)) is { } top
            ? top.AdistanceStart + ChunkSize - 1
            : int.MinValue;
    }

    /// <summary>The tiers, fastest (lowest abstract distance) first; only nodes with memory are in one.</summary>
    public IReadOnlyList<MemoryTier> Tiers { get; }

    /// <summary>The reference DRAM performance from the CPU nodes' HMAT, or null (no HMAT there, or they disagree by more than 10 %).</summary>
    public NodeAccess? DefaultDramPerf { get; }

    public static MemoryTiers Establish(MachineTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        return new MemoryTiers(topology);
    }

    /// <summary>The node's abstract distance, or -1 for a node without memory.</summary>
    public int AdistanceOf(int node) => _adistance[node];

    /// <summary>The node's tier, or null for a node without memory.</summary>
    public MemoryTier? TierOf(int node) => _tierOf[node] < 0 ? null : Tiers[_tierOf[node]];

    /// <summary>node_demotion[node].preferred: the nearest nodes of the next slower tier (empty in the slowest tier).</summary>
    public IReadOnlyList<int> PreferredDemotionTargets(int node) => _preferred[node];

    /// <summary>node_get_allowed_targets: every node of every slower tier, where a demotion may fall back to.</summary>
    public IReadOnlyList<int> AllowedDemotionTargets(int node) => _fallback[node];

    /// <summary>node_is_toptier: a node in the slowest tier with CPUs or a faster one (NUMA balancing mode 2 promotes only to these).</summary>
    public bool IsTopTier(int node) => _tierOf[node] < 0 || Tiers[_tierOf[node]].AdistanceStart <= _topTierAdistance;

    private static bool HasMemory(NodeSpec node) => node.Zones.Any(z => z.Present > 0);

    private static int RoundDown(int adistance) => adistance & ~(ChunkSize - 1);

    /// <summary>hmat_set_default_dram_perf / mt_set_default_dram_perf over the nodes with CPUs and memory, in id order.</summary>
    private static NodeAccess? SetDefaultDramPerf(IReadOnlyList<NodeSpec> nodes)
    {
        NodeAccess? reference = null;
        foreach (var node in nodes.Where(n => n.Cpus.Count > 0 && HasMemory(n) && n.Access is not null))
        {
            var perf = node.Access!;
            if (reference is null)
            {
                reference = perf;
            }
            else if (Off(perf.ReadLatencyNs, reference.ReadLatencyNs) || Off(perf.WriteLatencyNs, reference.WriteLatencyNs)
                || Off(perf.ReadBandwidthMBps, reference.ReadBandwidthMBps) || Off(perf.WriteBandwidthMBps, reference.WriteBandwidthMBps))
            {
                // "the performance of DRAM node N mismatches that of the reference DRAM node": every node keeps 576.
                return null;
            }
        }
        return reference;

        static bool Off(long value, long reference) => Math.Abs(value - reference) * 10 > reference;
    }

    /// <summary>
    /// mt_calc_adistance through hmat_calculate_adistance: mt_perf_to_adistance when the node has HMAT figures
    /// and a reference exists, else the DRAM default. The kernel's figures are unsigned int, so is its arithmetic.
    /// </summary>
    public static int Adistance(NodeAccess? perf, NodeAccess? dram)
    {
        if (perf is null || dram is null)
        {
            return AdistanceDram;
        }
        unchecked
        {
            var latency = (uint)perf.ReadLatencyNs + (uint)perf.WriteLatencyNs;
            var bandwidth = (uint)perf.ReadBandwidthMBps + (uint)perf.WriteBandwidthMBps;
            var dramLatency = (uint)dram.ReadLatencyNs + (uint)dram.WriteLatencyNs;
            var dramBandwidth = (uint)dram.ReadBandwidthMBps + (uint)dram.WriteBandwidthMBps;
            return (int)((uint)AdistanceDram * latency / dramLatency * dramBandwidth / bandwidth);
        }
    }

    /// <summary>
    /// establish_demotion_targets for one node: find_next_best_node over the next slower tier's nodes (every other
    /// node with memory marked used), taking nodes while their distance equals the first one's.
    /// </summary>
    private int[] PreferredTargets(MachineTopology topology, IReadOnlyList<int> load, int node)
    {
        var tier = _tierOf[node];
        if (tier < 0 || tier == Tiers.Count - 1)
        {
            return [];
        }
        var lower = Tiers[tier + 1].Nodes;
        var used = topology.Nodes.Select(n => !lower.Contains(n.Id)).ToArray();
        var preferred = new List<int>();
        var best = -1;
        int target;
        while ((target = Zonelists.FindNextBestNode(topology, node, used, load)) >= 0)
        {
            var distance = topology.DistanceBetween(node, target);
            if (best != -1 && distance != best)
            {
                break;
            }
            best = distance;
            preferred.Add(target);
        }
        return [.. preferred.Order()];
    }

    private int[] LowerTierNodes(int tier) => [.. Tiers.Skip(tier + 1).SelectMany(t => t.Nodes).Order()];
}
