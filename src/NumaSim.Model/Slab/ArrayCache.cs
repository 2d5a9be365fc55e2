namespace NumaSim.Model.Slab;

/// <summary>
/// struct array_cache (mm/slab.c): a LIFO stack of free object pointers. Per CPU it is the cache's fast path; per
/// node it is the shared array and the alien arrays (objects freed here that belong to another node).
/// </summary>
internal sealed class ArrayCache
{
    public ArrayCache(int limit, int batchCount)
    {
        Limit = limit;
        BatchCount = batchCount;
        Entry = new SlabObjectRef[Math.Max(limit, 1)];
    }

    /// <summary>ac->avail: entries in use, Entry[0 .. Avail).</summary>
    public int Avail { get; set; }

    public int Limit { get; }

    public int BatchCount { get; }

    /// <summary>ac->touched: used since the last reap (cache_reap leaves touched arrays alone once).</summary>
    public bool Touched { get; set; }

    public SlabObjectRef[] Entry { get; }

    public ReadOnlySpan<SlabObjectRef> Entries => Entry.AsSpan(0, Avail);

    public void Push(SlabObjectRef obj) => Entry[Avail++] = obj;

    public SlabObjectRef Pop() => Entry[--Avail];

    /// <summary>The memmove after the first <paramref name="count"/> entries were given away.</summary>
    public void RemoveFront(int count)
    {
        Array.Copy(Entry, count, Entry, 0, Avail - count);
        Avail -= count;
        Array.Clear(Entry, Avail, count);
    }

    /// <summary>transfer_objects: moves up to <paramref name="max"/> entries from the top of <paramref name="from"/>.</summary>
    public static int Transfer(ArrayCache to, ArrayCache from, int max)
    {
        var nr = Math.Min(Math.Min(from.Avail, max), to.Limit - to.Avail);
        if (nr <= 0)
        {
            return 0;
        }
        Array.Copy(from.Entry, from.Avail - nr, to.Entry, to.Avail, nr);
        from.Avail -= nr;
        Array.Clear(from.Entry, from.Avail, nr);
        to.Avail += nr;
        return nr;
    }
}
