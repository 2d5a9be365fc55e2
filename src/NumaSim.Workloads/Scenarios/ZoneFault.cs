using NumaSim.Model.Topology;

namespace NumaSim.Workloads.Scenarios;

/// <summary>
/// Fault injection at a simulated time: a zone (or, with no zone, every zone of the node: its memory going
/// offline) loses all its free memory from then on.
/// </summary>
public sealed record ZoneFault(long AtNs, int Node, ZoneType? Zone)
{
    public bool Hits(int node, ZoneType zone) => node == Node && (Zone is null || Zone == zone);
}
