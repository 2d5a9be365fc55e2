using NumaSim.Model.Stats;
using NumaSim.Results;

namespace NumaSim.Actors.Messages;

/// <summary>
/// Ask a node and its components for what the report's timeline shows (<see cref="TimelinePoint"/>): a few counters
/// each, where <see cref="CollectState"/> takes a component's whole state.
/// </summary>
public sealed record CollectTimeline : ISimMessage
{
    public static CollectTimeline Instance { get; } = new();
}

/// <summary>
/// One component's part of a timeline sample: its simulated time (a CPU's or a slab front-end's; 0 from the others),
/// the changes it made to each node's nr_file_pages and nr_anon_pages, the pages it reclaimed, and a zone's own sample.
/// </summary>
public sealed record TimelineShare(long Clock, IReadOnlyList<long> FilePages, IReadOnlyList<long> AnonPages, long PgstealKswapd, long PgstealDirect) : ISimMessage
{
    public ZoneSample? Zone { get; init; }

    /// <summary>Nothing yet: where a sum starts.</summary>
    public static TimelineShare Zero { get; } = new(0, [], [], 0, 0);

    /// <summary>A component's share from its node_stat_item changes and vm events.</summary>
    public static TimelineShare Of(long clock, int nodes, Func<int, NodeStatItem, long> nodeStat, Func<VmEventItem, long> vmEvent)
    {
        ArgumentNullException.ThrowIfNull(nodeStat);
        ArgumentNullException.ThrowIfNull(vmEvent);
        var file = new long[nodes];
        var anon = new long[nodes];
        for (var n = 0; n < nodes; n++)
        {
            file[n] = nodeStat(n, NodeStatItem.NrFilePages);
            anon[n] = nodeStat(n, NodeStatItem.NrAnonPages);
        }
        return new TimelineShare(clock, file, anon, vmEvent(VmEventItem.PgstealKswapd), vmEvent(VmEventItem.PgstealDirect));
    }

    /// <summary>A kernel service's share, from the state it reports at the end.</summary>
    public static TimelineShare Of(ReclaimState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Of(0, state.NodeStats.Count, (n, item) => state.NodeStats[n][item], item => state.Events[item]);
    }

    /// <summary>A zone's share: its sample, and no counters.</summary>
    public static TimelineShare Of(ZoneSample zone) => new(0, [], [], 0, 0) { Zone = zone };

    /// <summary>Two shares added up: counters summed, the later clock (zones are gathered apart).</summary>
    public TimelineShare Plus(TimelineShare other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var nodes = Math.Max(FilePages.Count, other.FilePages.Count);
        var file = new long[nodes];
        var anon = new long[nodes];
        for (var n = 0; n < nodes; n++)
        {
            file[n] = At(FilePages, n) + At(other.FilePages, n);
            anon[n] = At(AnonPages, n) + At(other.AnonPages, n);
        }
        return new TimelineShare(Math.Max(Clock, other.Clock), file, anon, PgstealKswapd + other.PgstealKswapd, PgstealDirect + other.PgstealDirect);
    }

    private static long At(IReadOnlyList<long> values, int n) => n < values.Count ? values[n] : 0;
}

/// <summary>A node's components' shares added up, with the samples of its zones in zone order.</summary>
public sealed record NodeTimeline(int Node, TimelineShare Total, IReadOnlyList<ZoneSample> Zones) : ISimMessage;
