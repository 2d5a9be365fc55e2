using NumaSim.Model.Sim;

namespace NumaSim.Actors.Messages;

/// <summary>One modeled event for one component, stamped with its simulated arrival time and ordering key.</summary>
public readonly record struct SimEnvelope(int Destination, SimEventKey Key, ISimPayload Payload);

/// <summary>The events one actor produced in a window for one destination actor, sent once at the window's end.</summary>
public sealed record EventBatch(IReadOnlyList<SimEnvelope> Events) : ISimMessage
{
    /// <summary>The round of the clock in which it was sent.</summary>
    public long Round { get; init; }
}

/// <summary>
/// A node's batches of one round for the components of another process, in one message (docs/architecture.md
/// section 2): that process's relay node hands each batch to its component.
/// </summary>
public sealed record RelayedBatches(IReadOnlyList<EventBatch> Batches) : ISimMessage;
