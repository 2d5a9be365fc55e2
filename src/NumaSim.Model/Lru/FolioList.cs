namespace NumaSim.Model.Lru;

/// <summary>
/// One list_head of folios, linked through the <see cref="FolioTable"/>: the head is the most recently added
/// (list_add), the tail the first to be scanned (lru_to_folio takes head->prev).
/// </summary>
internal struct FolioList
{
    public long Head;
    public long Tail;
    public long Count;

    public static FolioList Empty => new() { Head = -1, Tail = -1 };

    public void AddHead(FolioTable table, long pfn)
    {
        table.SetPrev(pfn, -1);
        table.SetNext(pfn, Head);
        if (Head >= 0)
        {
            table.SetPrev(Head, pfn);
        }
        else
        {
            Tail = pfn;
        }
        Head = pfn;
        Count++;
    }

    public void AddTail(FolioTable table, long pfn)
    {
        table.SetNext(pfn, -1);
        table.SetPrev(pfn, Tail);
        if (Tail >= 0)
        {
            table.SetNext(Tail, pfn);
        }
        else
        {
            Head = pfn;
        }
        Tail = pfn;
        Count++;
    }

    public void Remove(FolioTable table, long pfn)
    {
        var prev = table.Prev(pfn);
        var next = table.Next(pfn);
        if (prev >= 0)
        {
            table.SetNext(prev, next);
        }
        else
        {
            Head = next;
        }
        if (next >= 0)
        {
            table.SetPrev(next, prev);
        }
        else
        {
            Tail = prev;
        }
        Count--;
    }
}
