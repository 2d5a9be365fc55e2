using NumaSim.Model.PageAlloc;

namespace NumaSim.Actors.Messages;

/// <summary>A CPU (or its slab front-end, <paramref name="ReplyTo"/>) asks a zone for one block or a per-CPU list refill.</summary>
public sealed record ZoneAllocRequest(int Cpu, ZoneRequest Request, int ReplyTo) : ISimPayload
{
    /// <summary>W3C traceparent of the sampled remote allocation this request belongs to; null when not traced.</summary>
    public string? Traceparent { get; init; }
}

/// <summary>The zone's answer: the granted PFNs, none when it refused.</summary>
public sealed record ZoneAllocReply(int Zone, long[] Pfns) : ISimPayload;

/// <summary>Blocks a CPU hands back to the zone's buddy lists (a per-CPU list drain, or a large free).</summary>
public sealed record ZoneFreeBlocks(int Cpu, (long Pfn, int Order)[] Blocks) : ISimPayload;

/// <summary>Fault injection: the zone takes every free block off its free lists (numasim.workload.faults).</summary>
public sealed record ExhaustZone : ISimPayload
{
    public static ExhaustZone Instance { get; } = new();
}

/// <summary>unreserve_highatomic_pageblock on this zone for a CPU's slow path (<paramref name="Force"/>: the last pageblock too).</summary>
public sealed record ZoneUnreserveHighAtomic(bool Force, MigrateType Type, int ReplyTo) : ISimPayload;

/// <summary>Whether the zone gave a highatomic pageblock back.</summary>
public sealed record ZoneUnreserveReply(bool Unreserved) : IServiceAnswer;
