namespace NumaSim.Model.Mmu;

/// <summary>Per-node vmstat items a CPU changes (page-table and anonymous pages), folded over CPUs at the end.</summary>
public sealed class NodeStatCounters(int nodes)
{
    private readonly long[] _pageTablePages = new long[nodes];
    private readonly long[] _anonPages = new long[nodes];
    private readonly long[] _anonHugePages = new long[nodes];

    public void PageTable(int node, int delta) => _pageTablePages[node] += delta;

    public void Anon(int node, int delta) => _anonPages[node] += delta;

    /// <summary>Base pages mapped by transparent huge pages (NR_ANON_THPS counts pages, as the kernel does).</summary>
    public void AnonHuge(int node, int delta) => _anonHugePages[node] += delta;

    public IReadOnlyDictionary<int, IReadOnlyDictionary<string, long>> ToDictionary()
    {
        var result = new Dictionary<int, IReadOnlyDictionary<string, long>>();
        for (var n = 0; n < _anonPages.Length; n++)
        {
            result[n] = new Dictionary<string, long>
            {
                ["nr_page_table_pages"] = _pageTablePages[n],
                ["nr_anon_pages"] = _anonPages[n],
                ["nr_anon_transparent_hugepages"] = _anonHugePages[n],
            };
        }
        return result;
    }
}
