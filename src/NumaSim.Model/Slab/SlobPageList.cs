namespace NumaSim.Model.Slab;

/// <summary>One of SLOB's free page lists (free_slob_small, free_slob_medium, free_slob_large).</summary>
internal sealed class SlobPageList
{
    private readonly LinkedList<SlobPage> _pages = new();

    public int Count => _pages.Count;

    public LinkedListNode<SlobPage>? First => _pages.First;

    /// <summary>set_slob_page_free: list_add at the head.</summary>
    public void AddHead(SlobPage page)
    {
        page.ListNode = _pages.AddFirst(page);
        page.List = this;
    }

    /// <summary>clear_slob_page_free.</summary>
    public void Remove(SlobPage page)
    {
        _pages.Remove(page.ListNode!);
        page.ListNode = null;
        page.List = null;
    }

    /// <summary>list_rotate_to_front: the page becomes the head and the pages before it move to the tail, so the next
    /// search starts where this one succeeded (next fit across pages).</summary>
    public void RotateToFront(SlobPage page)
    {
        while (_pages.First != page.ListNode)
        {
            var first = _pages.First!;
            _pages.RemoveFirst();
            _pages.AddLast(first);
        }
    }
}
