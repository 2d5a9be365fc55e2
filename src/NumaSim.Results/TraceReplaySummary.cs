using NumaSim.Model.Snapshots;

namespace NumaSim.Results;

/// <summary>
/// summary.json's `trace` object for `numasim replay`: how the trace was read (lines, parsed, skipped,
/// malformed, by event), what the model did with its events, and the model's <see cref="TraceFidelity"/>.
/// </summary>
public sealed record TraceReplaySummary
{
    /// <summary>The trace as errors name it: the path, or "&lt;stdin&gt;".</summary>
    public required string Source { get; init; }

    /// <summary>The memory policy page allocations were replayed under ("local", "interleave:0-1", ...).</summary>
    public required string Policy { get; init; }

    /// <summary>How trace CPUs map onto simulated CPUs, e.g. "trace_cpu % 16".</summary>
    public required string CpuMap { get; init; }

    /// <summary>Lines read, headers included.</summary>
    public long Lines { get; init; }

    /// <summary>kmem events parsed and replayed.</summary>
    public long Parsed { get; init; }

    /// <summary>Well-formed event lines not replayed (other events, repeated page events).</summary>
    public long Skipped { get; init; }

    /// <summary>kmem lines skipped as malformed (only with --lenient; otherwise the first one stops the replay).</summary>
    public long Malformed { get; init; }

    /// <summary>Events ftrace reported lost ("[LOST n EVENTS]").</summary>
    public long LostEvents { get; init; }

    /// <summary>Lines that are neither headers nor events.</summary>
    public long Unrecognized { get; init; }

    /// <summary>Every event line by event name, whatever became of it.</summary>
    public required IReadOnlyDictionary<string, long> ByEvent { get; init; }

    /// <summary>Trace time from the first to the last kmem event, in nanoseconds.</summary>
    public long TracedNs { get; init; }

    /// <summary>mm_page_alloc events replayed, and those the simulated machine could not serve.</summary>
    public long PageAllocs { get; init; }

    public long PageAllocFailures { get; init; }

    /// <summary>mm_page_alloc events of allocations that failed in the traced kernel (null page): not replayed.</summary>
    public long PageAllocsFailedInTrace { get; init; }

    /// <summary>mm_page_free events that freed a block the replay allocated.</summary>
    public long PageFrees { get; init; }

    /// <summary>Frees whose order differs from the traced allocation's (the simulated block is freed whole).</summary>
    public long PageFreeOrderMismatches { get; init; }

    /// <summary>kmalloc and kmem_cache_alloc events replayed, and those the model could not serve.</summary>
    public long ObjectAllocs { get; init; }

    public long ObjectAllocFailures { get; init; }

    /// <summary>kmalloc / kmem_cache_alloc events with a null ptr: failed in the traced kernel, not replayed.</summary>
    public long ObjectAllocsFailedInTrace { get; init; }

    /// <summary>kfree and kmem_cache_free events that freed an object the replay allocated.</summary>
    public long ObjectFrees { get; init; }

    /// <summary>kfree(NULL) and kfree(ZERO_SIZE_PTR): traced, and nothing to free.</summary>
    public long NullFrees { get; init; }

    /// <summary>Frees of a pfn or ptr the replay never saw allocated (allocated before the trace began).</summary>
    public long PageFreesUnmatched { get; init; }

    public long ObjectFreesUnmatched { get; init; }

    public long FreesUnmatched => PageFreesUnmatched + ObjectFreesUnmatched;

    /// <summary>
    /// Allocations of a pfn or ptr the replay still held (the trace lost its free): the earlier simulated
    /// block or object is freed first.
    /// </summary>
    public long AllocsOverLive { get; init; }

    /// <summary>kmem_cache_alloc caches created on first sight, and the ones kmem_cache_create refused.</summary>
    public long CachesCreated { get; init; }

    public long CacheCreateFailures { get; init; }

    /// <summary>Traced pages and objects still allocated when the trace ended.</summary>
    public long LivePages { get; init; }

    public long LiveObjects { get; init; }

    public TraceFidelity Fidelity { get; init; } = TraceFidelity.Zero;
}
