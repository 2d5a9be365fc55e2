namespace NumaSim.Model.Lru;

/// <summary>
/// One list_head of folios: the head is the most recently added (list_add), the tail the first to be scanned
/// (lru_to_folio takes head->prev). The <see cref="FolioTable"/> keeps it as a chain of runs of consecutive pfns
/// (folios arrive in runs from each CPU's batch); the list knows its end runs and, read without the table, its
/// end folios and size. <see cref="ListState"/> is the generation, type and zone every folio on it has.
/// </summary>
internal struct FolioList
{
    public long Head;
    public long Tail;
    public long Count;
    public int HeadRun;
    public int TailRun;
    public ushort ListState;

    /// <summary>An empty list whose folios will have the given generation, type and zone (FolioLruState.Make).</summary>
    public static FolioList Empty(ushort listState) =>
        new() { Head = -1, Tail = -1, HeadRun = -1, TailRun = -1, ListState = listState };

    public void AddHead(FolioTable table, long pfn) => table.AddHead(ref this, pfn);

    public void AddTail(FolioTable table, long pfn) => table.AddTail(ref this, pfn);

    public void Remove(FolioTable table, long pfn) => table.Remove(ref this, pfn);
}
