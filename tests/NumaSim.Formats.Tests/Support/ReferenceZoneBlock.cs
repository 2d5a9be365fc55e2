using NumaSim.Model.Snapshots;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Tests.Support;

/// <summary>One "Node N, zone NAME" block of a real /proc/zoneinfo: its text and the values it shows.</summary>
internal sealed class ReferenceZoneBlock
{
    public ReferenceZoneBlock(int node, ZoneType type, string header)
    {
        Node = node;
        Type = type;
        Lines = [header];
    }

    public int Node { get; }
    public ZoneType Type { get; }

    /// <summary>The block's lines, header first.</summary>
    public List<string> Lines { get; }

    /// <summary>The "per-node stats" items as printed (THP items in huge pages).</summary>
    public Dictionary<string, long> NodeStats { get; } = [];

    /// <summary>pages free (as "free"), boost, min, low, high, promo, spanned, present, managed, cma, node_unreclaimable, start_pfn.</summary>
    public Dictionary<string, long> Fields { get; } = [];

    public List<long> Protection { get; } = [];

    /// <summary>Zone stat items and NUMA items.</summary>
    public Dictionary<string, long> ZoneItems { get; } = [];

    public List<PagesetSnapshot> Pagesets { get; } = [];

    public int StatThreshold { get; set; }

    public long Field(string name) => Fields.TryGetValue(name, out var v) ? v : 0;

    public long ZoneItem(string name) => ZoneItems.TryGetValue(name, out var v) ? v : 0;
}
