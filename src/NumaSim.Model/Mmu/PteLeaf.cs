namespace NumaSim.Model.Mmu;

/// <summary>
/// The entries of one last-level table. The kernel keeps an entry per page; here a table starts as a short sorted
/// list of runs (first index, first entry, count; entry i of a run is its first entry advanced by i - first), since
/// a task faulting memory in order maps runs of consecutive pfns with the same node and flags. A fault installing
/// the next entry of a run extends it in place. Only when the runs grow too many (entries that break the pattern:
/// zero pages, single-page flag changes, swap entries scattered over the table) does the table become the dense
/// array of one entry per index, as pte_t[PTRS_PER_PTE] is. Empty (default) entries are in no run.
/// </summary>
public sealed class PteLeaf
{
    // Beyond this many runs a dense table is smaller (a run takes 16 bytes, an entry 8) or as quick to search.
    private const int MaxRuns = 32;

    private readonly int _entries;
    private Run[] _runs = new Run[1];
    private int _count;
    private Pte[]? _dense;

    public PteLeaf(int entries) => _entries = entries;

    /// <summary>Runs held while the table is compact; 0 once it is dense (for tests and memory figures).</summary>
    public int Runs => _dense is null ? _count : 0;

    public bool Dense => _dense is not null;

    public Pte this[int index]
    {
        get
        {
            if (_dense is { } dense)
            {
                return dense[index];
            }
            // A walk mostly reads the last run, or past it where a fault is about to map the next page.
            var at = _count > 0 && index >= _runs[_count - 1].First ? _count - 1 : Find(index);
            if (at < 0)
            {
                return default;
            }
            ref readonly var run = ref _runs[at];
            return index < run.First + run.Count ? run.Start.Advance(index - run.First) : default;
        }
        set
        {
            if (_dense is { } dense)
            {
                dense[index] = value;
                return;
            }
            var at = _count > 0 && index >= _runs[_count - 1].First ? _count - 1 : Find(index);
            if (at >= 0 && index < _runs[at].First + _runs[at].Count)
            {
                if (_runs[at].Start.Advance(index - _runs[at].First) == value)
                {
                    return;
                }
                Cut(at, index);
                at = Find(index);
            }
            if (value != default)
            {
                Put(at, index, value);
            }
            if (_count > MaxRuns)
            {
                Densify();
            }
        }
    }

    // The last run starting at or before index, -1 if none.
    private int Find(int index)
    {
        int lo = 0, hi = _count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >> 1;
            if (_runs[mid].First <= index)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return hi;
    }

    // Takes index out of run at: the run shrinks from either end or splits in two.
    private void Cut(int at, int index)
    {
        var run = _runs[at];
        var end = run.First + run.Count;
        if (run.Count == 1)
        {
            RemoveAt(at);
        }
        else if (index == run.First)
        {
            _runs[at] = new Run(run.Start.Advance(1), (ushort)(index + 1), (ushort)(run.Count - 1));
        }
        else if (index == end - 1)
        {
            _runs[at].Count--;
        }
        else
        {
            _runs[at].Count = (ushort)(index - run.First);
            InsertAt(at + 1, new Run(run.Start.Advance(index + 1 - run.First), (ushort)(index + 1), (ushort)(end - index - 1)));
        }
    }

    // Puts value at an index no run covers: it extends the run before (the common case, a fault mapping the next
    // page of a run), joins the run after, or starts its own.
    private void Put(int before, int index, Pte value)
    {
        var after = before + 1;
        var joinsAfter = after < _count && _runs[after].First == index + 1 && value.Advance(1) == _runs[after].Start;
        if (before >= 0 && _runs[before].First + _runs[before].Count == index
            && _runs[before].Start.Advance(index - _runs[before].First) == value)
        {
            if (joinsAfter)
            {
                _runs[before].Count += (ushort)(_runs[after].Count + 1);
                RemoveAt(after);
            }
            else
            {
                _runs[before].Count++;
            }
        }
        else if (joinsAfter)
        {
            _runs[after] = new Run(value, (ushort)index, (ushort)(_runs[after].Count + 1));
        }
        else
        {
            InsertAt(after, new Run(value, (ushort)index, 1));
        }
    }

    private void InsertAt(int at, Run run)
    {
        if (_count == _runs.Length)
        {
            Array.Resize(ref _runs, _count * 2);
        }
        Array.Copy(_runs, at, _runs, at + 1, _count - at);
        _runs[at] = run;
        _count++;
    }

    private void RemoveAt(int at)
    {
        _count--;
        Array.Copy(_runs, at + 1, _runs, at, _count - at);
    }

    private void Densify()
    {
        var dense = new Pte[_entries];
        for (var r = 0; r < _count; r++)
        {
            var run = _runs[r];
            for (var i = 0; i < run.Count; i++)
            {
                dense[run.First + i] = run.Start.Advance(i);
            }
        }
        _dense = dense;
        _runs = [];
        _count = 0;
    }

    private struct Run(Pte start, ushort first, ushort count)
    {
        public readonly Pte Start = start;
        public readonly ushort First = first;
        public ushort Count = count;
    }
}
