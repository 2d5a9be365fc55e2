namespace NumaSim.Model.Snapshots;

/// <summary>
/// How often the model agrees with the traced kernel where the trace shows the kernel's own decision:
/// the kmalloc class the model picks for bytes_req against the traced bytes_alloc, and the migratetype
/// the model derives from gfp_flags against the traced migratetype of mm_page_alloc.
/// </summary>
public sealed record TraceFidelity(long BytesAllocChecked, long BytesAllocMismatches, long MigratetypeChecked, long MigratetypeMismatches)
{
    public static TraceFidelity Zero { get; } = new(0, 0, 0, 0);
}
