namespace NumaSim.Model.Lru;

/// <summary>
/// The LRU lists of one lruvec and their folios' LRU state (folio->lru, folio->flags' LRU bits), kept by range: the
/// kernel links every folio, but folios reach a list in runs of consecutive pfns (a CPU's batch of faults on
/// consecutive pages), so a list here is a chain of runs (first pfn, length, direction), each run linked to its
/// neighbours on the list. The list a run is on fixes its folios' generation, type and zone; a folio's own bits
/// (refs, PG_referenced, PG_workingset) take half a byte. A pfn finds its run through its chunk of 64 Ki pages: the
/// chunk's runs sorted by first pfn (a run never crosses a chunk), or, where they are many and short, the run of
/// every page; chunks are made on first use, so a terabyte machine that touches little costs little. A folio off every list with its state kept (isolated by reclaim) has it here in a
/// small map. Every list keeps exactly the order a list_head would.
/// </summary>
internal sealed class FolioTable
{
    private const int ChunkShift = 16;
    private const int ChunkSize = 1 << ChunkShift;
    private const int SegmentShift = 12;
    private const int SegmentSize = 1 << SegmentShift;
    private const long MaxPfn = 1L << 40;

    private readonly Dictionary<long, Chunk> _chunks = [];

    // The state of folios on no list whose state is kept (isolated, or set before they go on a list).
    private readonly Dictionary<long, ushort> _offList = [];

    // Runs live in segments of 4 Ki so that a growing pool never copies (a filled terabyte has millions).
    private Run[][] _segments = [];
    private int _usedRuns;
    private int _freeRun = -1;

    // The chunk asked for last: a list's neighbouring folios are mostly in the same chunk.
    private long _lastChunkIndex = -1;
    private Chunk? _lastChunk;

    // The run found or extended last: a folio's state is mostly asked right after it joins a list, and a list is
    // mostly walked run by run.
    private int _lastRun = -1;

    /// <summary>Runs on all the lists (for tests and memory figures).</summary>
    public int Runs { get; private set; }

    public ushort State(long pfn)
    {
        if (Find(pfn >> ChunkShift) is { } chunk && RunOf(chunk, pfn) is var id and >= 0)
        {
            return FolioLruState.Join(RunAt(id).ListState, chunk.PagePart(pfn));
        }
        return _offList.Count > 0 && _offList.TryGetValue(pfn, out var state) ? state : (ushort)0;
    }

    /// <summary>
    /// Sets a folio's state. One on a list keeps the list's generation, type and zone, which the state must name
    /// (a folio changes generation by moving lists); one on no list keeps the whole state until it joins one.
    /// </summary>
    public void SetState(long pfn, ushort state)
    {
        if (Find(pfn >> ChunkShift) is { } chunk && RunOf(chunk, pfn) is var id and >= 0)
        {
            if (FolioLruState.ListPart(state) != RunAt(id).ListState)
            {
                throw new InvalidOperationException($"pfn {pfn} is on a list of state {RunAt(id).ListState}, not {state}");
            }
            chunk.SetPagePart(pfn, FolioLruState.PagePart(state));
            return;
        }
        if (state == 0)
        {
            _offList.Remove(pfn);
        }
        else
        {
            _offList[pfn] = state;
        }
    }

    /// <summary>list_add: pfn (on no list) becomes the list's head.</summary>
    public void AddHead(ref FolioList list, long pfn)
    {
        var chunk = Join(ref list, pfn);
        var head = list.HeadRun;
        if (head >= 0 && Extend(ref RunAt(head), pfn, atHead: true))
        {
            chunk.Label(pfn, head);
        }
        else
        {
            var id = NewRun(chunk, pfn, 1, list.ListState);
            ref var run = ref RunAt(id);
            run.Next = head;
            if (head >= 0)
            {
                RunAt(head).Prev = id;
            }
            else
            {
                list.TailRun = id;
            }
            list.HeadRun = id;
        }
        _lastRun = list.HeadRun;
        Ends(ref list);
    }

    /// <summary>list_add_tail: pfn (on no list) becomes the list's tail.</summary>
    public void AddTail(ref FolioList list, long pfn)
    {
        var chunk = Join(ref list, pfn);
        var tail = list.TailRun;
        if (tail >= 0 && Extend(ref RunAt(tail), pfn, atHead: false))
        {
            chunk.Label(pfn, tail);
        }
        else
        {
            var id = NewRun(chunk, pfn, 1, list.ListState);
            ref var run = ref RunAt(id);
            run.Prev = tail;
            if (tail >= 0)
            {
                RunAt(tail).Next = id;
            }
            else
            {
                list.HeadRun = id;
            }
            list.TailRun = id;
        }
        _lastRun = list.TailRun;
        Ends(ref list);
    }

    /// <summary>list_del: pfn leaves the list (its run shrinks or splits in two).</summary>
    public void Remove(ref FolioList list, long pfn)
    {
        var chunk = Find(pfn >> ChunkShift) ?? throw NotOnList(pfn);
        if (!chunk.OnList(pfn))
        {
            throw NotOnList(pfn);
        }
        var id = RunOf(chunk, pfn);
        chunk.SetOnList(pfn, false);
        ref var run = ref RunAt(id);
        var last = run.First + run.Length - 1;
        if (run.Length == 1)
        {
            Unlink(ref list, id);
            chunk.RemoveRun(this, id);
            FreeRun(id);
        }
        else if (pfn == run.First)
        {
            run.First++;
            run.Length--;
        }
        else if (pfn == last)
        {
            run.Length--;
        }
        else
        {
            // The part above pfn becomes a run of its own, after this one on the list if the run ascends from
            // head to tail, before it if it descends.
            run.Length = (int)(pfn - run.First);
            var upper = NewRun(chunk, pfn + 1, (int)(last - pfn), run.ListState);
            ref var lower = ref RunAt(id);
            RunAt(upper).Ascending = lower.Ascending;
            if (lower.Ascending)
            {
                LinkAfter(ref list, id, upper);
            }
            else
            {
                LinkBefore(ref list, id, upper);
            }
        }
        list.Count--;
        Ends(ref list);
    }

    /// <summary>list_for_each: the list's folios from head to tail.</summary>
    public IEnumerable<long> HeadToTail(FolioList list)
    {
        for (var id = list.HeadRun; id >= 0; id = RunAt(id).Next)
        {
            var run = RunAt(id);
            for (var i = 0; i < run.Length; i++)
            {
                yield return run.Ascending ? run.First + i : run.First + run.Length - 1 - i;
            }
        }
    }

    // A folio joining a list: it must be on none; its own bits come with it if its state was kept off the list.
    private Chunk Join(ref FolioList list, long pfn)
    {
        var chunk = Get(pfn);
        if (chunk.OnList(pfn))
        {
            throw new InvalidOperationException($"pfn {pfn} is already on a list");
        }
        chunk.SetOnList(pfn, true);
        if (_offList.Count > 0 && _offList.Remove(pfn, out var kept))
        {
            if (FolioLruState.ListPart(kept) != list.ListState)
            {
                throw new InvalidOperationException($"pfn {pfn} of state {kept} cannot join a list of state {list.ListState}");
            }
            chunk.SetPagePart(pfn, FolioLruState.PagePart(kept));
        }
        list.Count++;
        return chunk;
    }

    // pfn continues the run at its head or tail end (within the run's chunk).
    private static bool Extend(ref Run run, long pfn, bool atHead)
    {
        if (pfn >> ChunkShift != run.First >> ChunkShift)
        {
            return false;
        }
        var below = pfn == run.First - 1;
        var above = pfn == run.First + run.Length;
        if (run.Length == 1 && (below || above))
        {
            // A second folio decides the direction: head to tail ascending when the head is the lower pfn.
            run.Ascending = atHead == below;
        }
        else if (!(run.Ascending == atHead ? below : above))
        {
            return false;
        }
        if (below)
        {
            run.First--;
        }
        run.Length++;
        return true;
    }

    // The list's end folios, as a reader sees them without the table.
    private void Ends(ref FolioList list)
    {
        list.Head = list.HeadRun < 0 ? -1 : RunAt(list.HeadRun).HeadPfn;
        list.Tail = list.TailRun < 0 ? -1 : RunAt(list.TailRun).TailPfn;
    }

    private void Unlink(ref FolioList list, int id)
    {
        ref var run = ref RunAt(id);
        if (run.Prev >= 0)
        {
            RunAt(run.Prev).Next = run.Next;
        }
        else
        {
            list.HeadRun = run.Next;
        }
        if (run.Next >= 0)
        {
            RunAt(run.Next).Prev = run.Prev;
        }
        else
        {
            list.TailRun = run.Prev;
        }
    }

    private void LinkAfter(ref FolioList list, int id, int added)
    {
        ref var run = ref RunAt(id);
        ref var next = ref RunAt(added);
        next.Prev = id;
        next.Next = run.Next;
        if (run.Next >= 0)
        {
            RunAt(run.Next).Prev = added;
        }
        else
        {
            list.TailRun = added;
        }
        run.Next = added;
    }

    private void LinkBefore(ref FolioList list, int id, int added)
    {
        ref var run = ref RunAt(id);
        ref var prev = ref RunAt(added);
        prev.Next = id;
        prev.Prev = run.Prev;
        if (run.Prev >= 0)
        {
            RunAt(run.Prev).Next = added;
        }
        else
        {
            list.HeadRun = added;
        }
        run.Prev = added;
    }

    private ref Run RunAt(int id) => ref _segments[id >> SegmentShift][id & (SegmentSize - 1)];

    // A run of folios first..first+length-1, entered in its chunk's index.
    private int NewRun(Chunk chunk, long first, int length, ushort listState)
    {
        int id;
        if (_freeRun >= 0)
        {
            id = _freeRun;
            _freeRun = RunAt(id).Next;
        }
        else
        {
            if (_usedRuns == _segments.Length * SegmentSize)
            {
                Array.Resize(ref _segments, _segments.Length + 1);
                _segments[^1] = new Run[SegmentSize];
            }
            id = _usedRuns++;
        }
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(first, MaxPfn);
        RunAt(id) = new Run { First = first, Length = length, Prev = -1, Next = -1, ListState = listState, Ascending = true };
        chunk.AddRun(this, id);
        Runs++;
        return id;
    }

    private void FreeRun(int id)
    {
        if (_lastRun == id)
        {
            _lastRun = -1;
        }
        RunAt(id).Next = _freeRun;
        _freeRun = id;
        Runs--;
    }

    // The run holding pfn, or -1.
    private int RunOf(Chunk chunk, long pfn)
    {
        if (!chunk.OnList(pfn))
        {
            return -1;
        }
        if (_lastRun >= 0 && (ulong)(pfn - RunAt(_lastRun).First) < (ulong)RunAt(_lastRun).Length)
        {
            return _lastRun;
        }
        return _lastRun = chunk.RunOf(this, pfn);
    }

    private static InvalidOperationException NotOnList(long pfn) => new($"pfn {pfn} is on no list");

    private Chunk? Find(long index)
    {
        if (index == _lastChunkIndex)
        {
            return _lastChunk;
        }
        if (!_chunks.TryGetValue(index, out var chunk))
        {
            return null;
        }
        (_lastChunkIndex, _lastChunk) = (index, chunk);
        return chunk;
    }

    private Chunk Get(long pfn)
    {
        var index = pfn >> ChunkShift;
        if (Find(index) is { } chunk)
        {
            return chunk;
        }
        chunk = _chunks[index] = new Chunk();
        (_lastChunkIndex, _lastChunk) = (index, chunk);
        return chunk;
    }

    // A run of folios on one list: First..First+Length-1, from head to tail ascending or descending. 16 bytes: the
    // first pfn (below 2^40, as the kernel's 4-level tables reach), the length (a chunk at most), the list's state
    // and the direction share one word; a list fed folio by folio holds a run per folio.
    private struct Run
    {
        private const int LengthShift = 40;
        private const int StateShift = 57;
        private const int AscendingShift = 63;
        private const ulong FirstMask = (1UL << LengthShift) - 1;
        private const ulong LengthMask = 0x1FFFFUL << LengthShift;
        private const ulong StateMask = 0x3FUL << StateShift;
        private const ulong AscendingBit = 1UL << AscendingShift;

        private ulong _bits;
        public int Prev;
        public int Next;

        public long First
        {
            readonly get => (long)(_bits & FirstMask);
            set => _bits = (_bits & ~FirstMask) | (ulong)value;
        }

        public int Length
        {
            readonly get => (int)((_bits & LengthMask) >> LengthShift);
            set => _bits = (_bits & ~LengthMask) | ((ulong)value << LengthShift);
        }

        public ushort ListState
        {
            readonly get => (ushort)((_bits & StateMask) >> StateShift);
            set => _bits = (_bits & ~StateMask) | ((ulong)value << StateShift);
        }

        public bool Ascending
        {
            readonly get => (_bits & AscendingBit) != 0;
            set => _bits = value ? _bits | AscendingBit : _bits & ~AscendingBit;
        }

        public readonly long HeadPfn => Ascending ? First : First + Length - 1;

        public readonly long TailPfn => Ascending ? First + Length - 1 : First;
    }

    // 64 Ki pages: which are on a list (a bit each), their own LRU bits (two to a byte), and the runs in them sorted
    // by first pfn.
    private sealed class Chunk
    {
        private const int MaxSorted = 64;

        // Runs shorter than this on average, past MaxSorted of them: the lists interleave folio by folio here.
        private const int ShortRun = 16;

        private readonly ulong[] _onList = new ulong[ChunkSize / 64];
        private readonly byte[] _pageParts = new byte[ChunkSize / 2];

        // The runs sorted by first pfn; past MaxSorted of them and ShortRun pages a run, the run of every page
        // instead (4 bytes a page: a chunk whose lists interleave folio by folio, where a sorted array would shift
        // on every insert).
        private int[] _runs = new int[4];
        private int _count;
        private int[]? _pageRuns;
        private int _listed;

        public int RunOf(FolioTable table, long pfn)
        {
            if (_pageRuns is { } pageRuns)
            {
                return pageRuns[(int)(pfn & (ChunkSize - 1))];
            }
            var at = Below(table, pfn);
            return at >= 0 && pfn < table.RunAt(_runs[at]).First + table.RunAt(_runs[at]).Length ? _runs[at] : -1;
        }

        /// <summary>A run grew by pfn at one end.</summary>
        public void Label(long pfn, int id)
        {
            if (_pageRuns is { } pageRuns)
            {
                pageRuns[(int)(pfn & (ChunkSize - 1))] = id;
            }
        }

        public void AddRun(FolioTable table, int id)
        {
            ref var run = ref table.RunAt(id);
            if (_pageRuns is { } pageRuns)
            {
                Array.Fill(pageRuns, id, (int)(run.First & (ChunkSize - 1)), run.Length);
                return;
            }
            if (_count >= MaxSorted && _count * ShortRun > _listed)
            {
                _pageRuns = new int[ChunkSize];
                for (var r = 0; r < _count; r++)
                {
                    AddRun(table, _runs[r]);
                }
                AddRun(table, id);
                _runs = [];
                _count = 0;
                return;
            }
            if (_count == _runs.Length)
            {
                Array.Resize(ref _runs, _count * 2);
            }
            var at = Below(table, run.First) + 1;
            Array.Copy(_runs, at, _runs, at + 1, _count - at);
            _runs[at] = id;
            _count++;
        }

        public void RemoveRun(FolioTable table, int id)
        {
            if (_pageRuns is not null)
            {
                // Its pages are off every list: their stale labels are never read.
                return;
            }
            var at = Below(table, table.RunAt(id).First);
            _count--;
            Array.Copy(_runs, at + 1, _runs, at, _count - at);
        }

        public bool OnList(long pfn)
        {
            var i = (int)(pfn & (ChunkSize - 1));
            return (_onList[i >> 6] & (1UL << i)) != 0;
        }

        public void SetOnList(long pfn, bool on)
        {
            var i = (int)(pfn & (ChunkSize - 1));
            if (on)
            {
                _onList[i >> 6] |= 1UL << i;
                _listed++;
            }
            else
            {
                _onList[i >> 6] &= ~(1UL << i);
                _listed--;
            }
        }

        public byte PagePart(long pfn)
        {
            var i = (int)(pfn & (ChunkSize - 1));
            return (byte)((_pageParts[i >> 1] >> ((i & 1) << 2)) & 0xF);
        }

        public void SetPagePart(long pfn, byte part)
        {
            var i = (int)(pfn & (ChunkSize - 1));
            var shift = (i & 1) << 2;
            ref var b = ref _pageParts[i >> 1];
            b = (byte)((b & ~(0xF << shift)) | (part << shift));
        }

        // The index of the last run starting at or below pfn, or -1.
        private int Below(FolioTable table, long pfn)
        {
            int lo = 0, hi = _count - 1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >> 1;
                if (table.RunAt(_runs[mid]).First <= pfn)
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
    }
}
