namespace NumaSim.Model.Vmalloc;

/// <summary>
/// What populating an area did with the page-table pages it was given: how many became kernel page tables, and the
/// ones left over (another area's mapping built the same tables in between) for the caller to free.
/// </summary>
public sealed record VmallocMapResult(int TablesUsed, IReadOnlyList<(long Pfn, int Node)> UnusedTables);
