namespace NumaSim.Formats.Trace;

/// <summary>kfree: `call_site=%pS ptr=%p`.</summary>
public sealed record KfreeEvent : KmemEvent
{
    public required string CallSite { get; init; }

    public required ulong Ptr { get; init; }
}
