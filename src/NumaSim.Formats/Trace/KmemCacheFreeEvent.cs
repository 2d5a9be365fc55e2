namespace NumaSim.Formats.Trace;

/// <summary>kmem_cache_free: `call_site=%pS ptr=%p name=%s`.</summary>
public sealed record KmemCacheFreeEvent : KmemEvent
{
    public required string CallSite { get; init; }

    public required ulong Ptr { get; init; }

    /// <summary>The cache name; null when the kernel does not print it (before 5.12).</summary>
    public string? CacheName { get; init; }
}
