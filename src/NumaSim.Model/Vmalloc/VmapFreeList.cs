namespace NumaSim.Model.Vmalloc;

/// <summary>
/// The free vmap space (the kernel's free_vmap_area_root): disjoint free ranges in address order, merged with
/// their neighbours when a range comes back (merge_or_add_vmap_area). Allocation is lowest-address first fit as
/// find_vmap_lowest_match gives it; the kernel finds the range in O(log n) with an augmented rb-tree, this walks
/// the list, which holds a handful of ranges unless the area is badly fragmented.
/// </summary>
internal sealed class VmapFreeList
{
    private readonly List<(ulong Start, ulong End)> _ranges = [];

    public VmapFreeList(ulong start, ulong end) => _ranges.Add((start, end));

    public int Count => _ranges.Count;

    public IReadOnlyList<(ulong Start, ulong End)> Ranges => _ranges;

    /// <summary>Takes size bytes from the lowest free range that holds them; false when none does.</summary>
    public bool TryTake(ulong size, out ulong address)
    {
        for (var i = 0; i < _ranges.Count; i++)
        {
            var (start, end) = _ranges[i];
            if (end - start < size)
            {
                continue;
            }
            address = start;
            if (end - start == size)
            {
                _ranges.RemoveAt(i);
            }
            else
            {
                _ranges[i] = (start + size, end);
            }
            return true;
        }
        address = 0;
        return false;
    }

    /// <summary>Gives back [start, end), merging it with the free ranges it touches.</summary>
    public void Give(ulong start, ulong end)
    {
        var at = LowerBound(start);
        if ((at > 0 && _ranges[at - 1].End > start) || (at < _ranges.Count && _ranges[at].Start < end))
        {
            throw new InvalidOperationException($"0x{start:x16}-0x{end:x16} overlaps free vmap space");
        }
        var mergePrevious = at > 0 && _ranges[at - 1].End == start;
        var mergeNext = at < _ranges.Count && _ranges[at].Start == end;
        if (mergePrevious && mergeNext)
        {
            _ranges[at - 1] = (_ranges[at - 1].Start, _ranges[at].End);
            _ranges.RemoveAt(at);
        }
        else if (mergePrevious)
        {
            _ranges[at - 1] = (_ranges[at - 1].Start, end);
        }
        else if (mergeNext)
        {
            _ranges[at] = (start, _ranges[at].End);
        }
        else
        {
            _ranges.Insert(at, (start, end));
        }
    }

    /// <summary>The index of the first range starting at or above address.</summary>
    private int LowerBound(ulong address)
    {
        int lo = 0, hi = _ranges.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >> 1;
            if (_ranges[mid].Start < address)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
