using Akka.Actor;

namespace NumaSim.Actors.Messages;

/// <summary>A node has created its zone and CPU actors: their component ids and references.</summary>
public sealed record NodeReady(int Node, IReadOnlyDictionary<int, IActorRef> Components) : ISimMessage;

/// <summary>Where every component lives, so that outboxes can address any of them.</summary>
public sealed record Wire(IReadOnlyDictionary<int, IActorRef> Routes) : ISimMessage
{
    /// <summary>Publish <see cref="Observation.SimObservation"/>s on the event stream (a scenario test listens).</summary>
    public bool Observed { get; init; }

    /// <summary>The run's start as UTC ticks: simulated time 0 on the wall clock, where spans are placed.</summary>
    public long EpochTicks { get; init; }

    /// <summary>CPUs keep access latency by node pair too (<see cref="Coordination.RunObservers.LatencyByNodePair"/>).</summary>
    public bool LatencyByNodePair { get; init; }

    /// <summary>
    /// For each component in another process than the receiving node's: the node there that relays
    /// batches to it. Empty in one process, where every batch goes straight to its component.
    /// </summary>
    public IReadOnlyDictionary<int, IActorRef> Relays { get; init; } = new Dictionary<int, IActorRef>();
}

/// <summary>Acknowledges <see cref="Wire"/>.</summary>
public sealed record Wired(int Node) : ISimMessage;
