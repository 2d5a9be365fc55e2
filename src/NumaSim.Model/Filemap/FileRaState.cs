namespace NumaSim.Model.Filemap;

/// <summary>
/// struct file_ra_state: one open file's readahead window (mm/readahead.c). The window is
/// [Start, Start + Size); the page at Start + Size - AsyncSize carries PG_readahead, and a read that reaches
/// it starts the next window before the current one is used up. Sizes are in pages.
/// </summary>
public sealed class FileRaState
{
    /// <summary>read_ahead_kb's default, 128 KiB (VM_READAHEAD_PAGES), in 4 KiB pages.</summary>
    public const int DefaultRaPages = 32;

    public FileRaState(int raPages = DefaultRaPages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(raPages, 1);
        RaPages = raPages;
    }

    /// <summary>The most one window may hold (bdi->ra_pages).</summary>
    public int RaPages { get; }

    public long Start { get; private set; }
    public int Size { get; private set; }
    public int AsyncSize { get; private set; }

    /// <summary>The byte after the last read (ra->prev_pos); -1 before the first read.</summary>
    public long PrevPos { get; set; } = -1;

    /// <summary>The page that carries PG_readahead in the current window, or -1.</summary>
    public long MarkerIndex => Size > 0 && AsyncSize > 0 ? Start + Size - AsyncSize : -1;

    /// <summary>
    /// page_cache_sync_ra (6.12): a read of <paramref name="reqCount"/> pages at <paramref name="index"/> found the
    /// page missing. At the start of the file, for a read larger than the window, or right after the previous read,
    /// a new window starts there; anything else is a random read of just what was asked.
    /// </summary>
    public ReadaheadWindow SyncReadahead(long index, long reqCount)
    {
        var max = RaPages;
        var prevIndex = PrevPos < 0 ? -1 : PrevPos >> 12;
        if (index == 0 || reqCount > max || prevIndex >= 0 && index - prevIndex <= 1)
        {
            Start = index;
            Size = InitSize(reqCount, max);
            AsyncSize = Size > reqCount ? Size - (int)reqCount : Size >> 1;
            return Window;
        }
        return new ReadaheadWindow(index, (int)Math.Min(reqCount, max), -1);
    }

    /// <summary>page_cache_async_ra: the read reached the PG_readahead page; the next window follows this one, all of it ahead.</summary>
    public ReadaheadWindow AsyncReadahead()
    {
        Start += Size;
        Size = NextSize(Size, RaPages);
        AsyncSize = Size;
        return Window;
    }

    private ReadaheadWindow Window => new(Start, Size, MarkerIndex);

    /// <summary>get_init_ra_size: the first window of a sequential read.</summary>
    public static int InitSize(long reqCount, int max)
    {
        var size = RoundUpPowerOfTwo(Math.Max(1, Math.Min(reqCount, max)));
        if (size <= max / 32)
        {
            return size * 4;
        }
        if (size <= max / 4)
        {
            return size * 2;
        }
        return max;
    }

    /// <summary>get_next_ra_size: each following window is four, then two times the last, up to the maximum.</summary>
    public static int NextSize(int current, int max)
    {
        if (current < max / 16)
        {
            return 4 * current;
        }
        if (current <= max / 2)
        {
            return 2 * current;
        }
        return max;
    }

    private static int RoundUpPowerOfTwo(long value)
    {
        var result = 1;
        while (result < value)
        {
            result <<= 1;
        }
        return result;
    }
}

/// <summary>Pages [Start, Start + Count) to bring into the page cache; the page at Marker gets PG_readahead (-1: none).</summary>
public readonly record struct ReadaheadWindow(long Start, int Count, long Marker);
