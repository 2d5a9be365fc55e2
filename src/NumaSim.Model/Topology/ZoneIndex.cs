namespace NumaSim.Model.Topology;

/// <summary>A zone's global index: every node has a slot for each zone type, populated or not.</summary>
public static class ZoneIndex
{
    public static int Of(int node, ZoneType type) => node * ZoneTypes.Count + (int)type;

    public static int Node(int zoneIndex) => zoneIndex / ZoneTypes.Count;

    public static ZoneType Type(int zoneIndex) => (ZoneType)(zoneIndex % ZoneTypes.Count);
}
