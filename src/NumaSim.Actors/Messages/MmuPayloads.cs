namespace NumaSim.Actors.Messages;

/// <summary>
/// An IPI asking a CPU to drop the translations of these virtual pages of one address space; the
/// acknowledgement goes to <paramref name="ReplyTo"/> (the initiating CPU, or its slab front-end for vfree).
/// </summary>
public sealed record TlbShootdown(int InitiatorCpu, int AddressSpace, long[] VirtualPages, int ReplyTo) : ISimPayload
{
    /// <summary>W3C traceparent of the sampled shootdown this IPI belongs to; null when not traced.</summary>
    public string? Traceparent { get; init; }
}

/// <summary>The flushed CPU's answer; the initiator waits for all of them.</summary>
public sealed record TlbShootdownAck(int Cpu, int AddressSpace, int Invalidated) : ISimPayload;

/// <summary>
/// A task moving to another CPU, its whole state with it. In one process the state travels by
/// reference; it is owned by exactly one CPU at a time.
/// </summary>
public sealed record TaskMigration(object Task) : ISimPayload;
