namespace NumaSim.Model.Snapshots;

/// <summary>slabinfo of the whole machine from the CPUs' parts of each cache.</summary>
public static class SlabinfoSum
{
    /// <summary>Rows of the same cache added up, in the order the caches first appear.</summary>
    public static IReadOnlyList<SlabCacheSnapshot> Of(IEnumerable<SlabCacheSnapshot> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sums = new List<SlabCacheSnapshot>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!index.TryGetValue(row.Name, out var i))
            {
                index[row.Name] = sums.Count;
                sums.Add(row);
                continue;
            }
            var sum = sums[i];
            sums[i] = sum with
            {
                ActiveObjects = sum.ActiveObjects + row.ActiveObjects,
                NumObjects = sum.NumObjects + row.NumObjects,
                ActiveSlabs = sum.ActiveSlabs + row.ActiveSlabs,
                NumSlabs = sum.NumSlabs + row.NumSlabs,
                SharedAvail = sum.SharedAvail + row.SharedAvail,
            };
        }
        return sums;
    }
}
