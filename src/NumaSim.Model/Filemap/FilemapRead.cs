using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Filemap;

public enum ReadStepKind
{
    /// <summary>A page must be allocated for the cache at Index (Request); resume with the pfn, or -1.</summary>
    Allocate,

    /// <summary>The read is over.</summary>
    Done,
}

/// <summary>
/// Where a read stands: waiting for a page for <see cref="Index"/>, or done. <see cref="Run"/> is how many
/// allocations of the same request the read asks for in a row if each succeeds (the rest of a readahead window's
/// missing pages), so that a caller answering by message can fetch them in one trip.
/// </summary>
public readonly record struct ReadStep(ReadStepKind Kind, long Index, AllocationRequest? Request, int Run = 1)
{
    public static ReadStep Done { get; } = new(ReadStepKind.Done, -1, null);
}

/// <summary>
/// One read(2) of a regular file, as filemap_read does it (mm/filemap.c). filemap_get_pages takes a batch of up
/// to FOLIO_BATCH_SIZE cached pages from the position on, stopping after one that carries PG_readahead (whose
/// next window it then starts, page_cache_async_ra). A missing page starts synchronous readahead
/// (page_cache_sync_ra), whose window's pages are allocated and cached before the copy, with readahead_gfp_mask
/// (the mapping's gfp plus __GFP_NORETRY | __GFP_NOWARN); if the page the reader waits for still is not there it
/// is allocated alone with the mapping's gfp (filemap_create_folio), which may reclaim. Every page copied is
/// marked accessed, except the first of a read when the previous read ended inside it (pos_same_folio).
/// The caller owns the LRU: it puts each page a Resume cached on its list (folio_add_lru, with the refault the
/// slot's <see cref="Shadow"/> tells of) and drains <see cref="Accessed"/>.
/// </summary>
public sealed class FilemapRead
{
    /// <summary>mapping_gfp_mask of a regular file: GFP_HIGHUSER_MOVABLE.</summary>
    public const Gfp MappingGfp = Gfp.HighUserMovable;

    /// <summary>readahead_gfp_mask.</summary>
    public const Gfp ReadaheadGfp = MappingGfp | Gfp.NoRetry | Gfp.NoWarn;

    /// <summary>FOLIO_BATCH_SIZE: the most pages one filemap_get_pages hands to the copy.</summary>
    public const int BatchSize = 31;

    private readonly FileMapping _mapping;
    private readonly FileRaState _ra;
    private readonly MemPolicy _policy;
    private readonly long _lastIndex;
    private long _pos;
    private long _lastPos;

    // The window being read in: pages [_windowNext, _windowEnd), _marker gets PG_readahead.
    private long _windowNext = -1;
    private long _windowEnd = -1;
    private long _marker = -1;
    private long _pending = -1;
    private bool _syncTried;
    private bool _mustHave;

    public FilemapRead(FileMapping mapping, FileRaState ra, long pos, long count, MemPolicy policy)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pos);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _mapping = mapping;
        _ra = ra;
        _policy = policy;
        _pos = pos;
        EndPos = Math.Max(pos, Math.Min(pos + count, mapping.SizePages << 12));
        _lastIndex = (EndPos + 4095 >> 12) - 1;
        _lastPos = ra.PrevPos;
    }

    /// <summary>The file read.</summary>
    public FileMapping Mapping => _mapping;

    /// <summary>Where the read stops: the end asked for or the end of the file.</summary>
    public long EndPos { get; }

    /// <summary>Bytes copied to the reader so far.</summary>
    public long BytesCopied { get; private set; }

    /// <summary>Pages this read brought into the cache.</summary>
    public long PagesAllocated { get; private set; }

    /// <summary>The cache could not get a page the reader needed: the read stopped short.</summary>
    public bool Failed { get; private set; }

    /// <summary>Cached pages marked accessed since the caller last cleared the list (folio_mark_accessed).</summary>
    public List<long> Accessed { get; } = [];

    /// <summary>The file index of the page the last Resume cached.</summary>
    public long LastIndex { get; private set; } = -1;

    /// <summary>The shadow entry the slot of the page the last Resume cached held (-1: none): a refault.</summary>
    public long Shadow { get; private set; } = -1;

    /// <summary>The xarray nodes the page the last Resume cached needed (radix_tree_node objects, xas_alloc).</summary>
    public int NewXaNodes { get; private set; }

    public ReadStep Begin() => Advance();

    /// <summary>The answer to the last Allocate step: the pfn, or -1 when the allocation failed.</summary>
    public ReadStep Resume(long pfn)
    {
        var index = _pending;
        _pending = -1;
        Shadow = -1;
        NewXaNodes = 0;
        if (pfn < 0)
        {
            if (_mustHave)
            {
                Failed = true;
                return Finish();
            }
            // page_cache_ra_unbounded stops at the first page it cannot allocate.
            _windowNext = _windowEnd;
            return Advance();
        }
        (Shadow, NewXaNodes) = _mapping.Add(index, pfn);
        LastIndex = index;
        if (index == _marker)
        {
            _mapping.MarkReadahead(index);
        }
        PagesAllocated++;
        _mustHave = false;
        return Advance();
    }

    private ReadStep Advance()
    {
        while (true)
        {
            while (_windowNext >= 0 && _windowNext < _windowEnd)
            {
                var next = _windowNext++;
                if (!_mapping.TryGet(next, out _))
                {
                    var run = 1;
                    while (next + run < _windowEnd && !_mapping.TryGet(next + run, out _))
                    {
                        run++;
                    }
                    return Ask(next, ReadaheadGfp, run);
                }
            }
            _windowNext = _windowEnd = -1;

            if (_pos >= EndPos)
            {
                return Finish();
            }
            var index0 = _pos >> 12;
            if (!_mapping.TryGet(index0, out var first))
            {
                if (!_syncTried)
                {
                    _syncTried = true;
                    StartWindow(_ra.SyncReadahead(index0, _lastIndex - index0 + 1));
                    continue;
                }
                _mustHave = true;
                return Ask(index0, MappingGfp);
            }
            _syncTried = false;

            // filemap_get_read_batch: consecutive cached pages, ending after a PG_readahead one.
            var count = 0;
            var index = index0;
            var readahead = false;
            while (count < BatchSize && index <= _lastIndex && _mapping.TryGet(index, out var pfn))
            {
                if (count > 0 || !(_lastPos > 0 && (_lastPos - 1) >> 12 == index0))
                {
                    Accessed.Add(count == 0 ? first : pfn);
                }
                count++;
                if (_mapping.TestClearReadahead(index++))
                {
                    readahead = true;
                    break;
                }
            }
            var end = Math.Min(EndPos, (index0 + count) << 12);
            BytesCopied += end - _pos;
            _pos = _lastPos = end;
            if (readahead)
            {
                StartWindow(_ra.AsyncReadahead());
            }
        }
    }

    private ReadStep Ask(long index, Gfp gfp, int run = 1)
    {
        _pending = index;
        return new ReadStep(ReadStepKind.Allocate, index, new AllocationRequest(0, gfp, _policy), run);
    }

    private ReadStep Finish()
    {
        _ra.PrevPos = _lastPos;
        return ReadStep.Done;
    }

    private void StartWindow(ReadaheadWindow window)
    {
        _windowNext = window.Start;
        _windowEnd = Math.Min(window.Start + window.Count, _mapping.SizePages);
        _marker = window.Marker;
    }
}
