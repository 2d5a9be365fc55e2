namespace NumaSim.Model.Slab;

/// <summary>
/// One page of the SLOB heap (struct slab with PageSlobFree): its free blocks in address order as (start, units)
/// in SLOB_UNITs (sp->freelist and the slob_t chain), the free unit count (sp->units), and, for the model, who owns
/// each allocated block.
/// </summary>
internal sealed class SlobPage
{
    public SlobPage(long pfn, int node, int units)
    {
        Pfn = pfn;
        Node = node;
        FreeUnits = units;
        Free.Add(new FreeBlock(0, units));
    }

    public long Pfn { get; }

    public int Node { get; }

    /// <summary>sp->units: free units in the page.</summary>
    public int FreeUnits { get; set; }

    /// <summary>The free blocks, lowest address first.</summary>
    public List<FreeBlock> Free { get; } = [];

    /// <summary>Allocated blocks by start unit.</summary>
    public Dictionary<int, UsedBlock> Used { get; } = [];

    /// <summary>The free list the page is on (null while full: slob_page_free is false).</summary>
    public SlobPageList? List { get; set; }

    public LinkedListNode<SlobPage>? ListNode { get; set; }

    /// <summary>A free slob_t run.</summary>
    internal readonly record struct FreeBlock(int Start, int Units);

    /// <summary>An allocated block: its cache, its units, and for kmalloc the size in the header word.</summary>
    internal readonly record struct UsedBlock(SlobAllocator Owner, int Units, int Requested, bool Kmalloc);
}
