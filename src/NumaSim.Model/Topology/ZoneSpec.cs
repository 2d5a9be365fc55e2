namespace NumaSim.Model.Topology;

/// <summary>
/// One populated zone: its PFN span and how much of it is real (present) and handed to the
/// buddy allocator (managed). Holes are spanned - present; reserved pages are present - managed.
/// </summary>
public sealed record ZoneSpec(ZoneType Type, long StartPfn, long Spanned, long Present, long Managed)
{
    public long EndPfn => StartPfn + Spanned;

    /// <summary>
    /// Managed pages already in use when the run starts (what a real machine's boot and its other tasks hold:
    /// managed minus nr_free_pages in a snapshot's zoneinfo). They are taken before the workload and never freed.
    /// </summary>
    public long InUse { get; init; }
}
