using NumaSim.Model.PageAlloc;

namespace NumaSim.Formats.Trace;

/// <summary>
/// kmalloc (and kmalloc_node before 6.1): `call_site=%pS ptr=%p bytes_req=%zu bytes_alloc=%zu
/// gfp_flags=%s node=%d accounted=%s`.
/// </summary>
public sealed record KmallocEvent : KmemEvent
{
    /// <summary>As printed: "symbol+0xoff/0xsize", with " [module]" for module code, or a hex address.</summary>
    public required string CallSite { get; init; }

    public required ulong Ptr { get; init; }

    public required long BytesReq { get; init; }

    public required long BytesAlloc { get; init; }

    public required Gfp Gfp { get; init; }

    public required string GfpText { get; init; }

    /// <summary>The parts of <see cref="GfpText"/> the model has no bit for, '|'-joined; null when none.</summary>
    public string? GfpUnknown { get; init; }

    /// <summary>The requested node; -1 (NUMA_NO_NODE) when any, or when the trace predates the field.</summary>
    public required int Node { get; init; }

    /// <summary>Charged to a memory cgroup; false when the trace predates the field (before 5.18).</summary>
    public required bool Accounted { get; init; }
}
