namespace NumaSim.Formats.Trace;

/// <summary>mm_page_free: `page=%p pfn=0x%lx order=%d`.</summary>
public sealed record PageFreeEvent : KmemEvent
{
    public required ulong Page { get; init; }

    public required ulong Pfn { get; init; }

    public required int Order { get; init; }
}
