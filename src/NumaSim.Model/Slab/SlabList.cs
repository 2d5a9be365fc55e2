namespace NumaSim.Model.Slab;

/// <summary>An intrusive list of slabs (struct list_head slab_list): a slab is on at most one list.</summary>
internal sealed class SlabList
{
    public Slab? First { get; private set; }

    public Slab? Last { get; private set; }

    public int Count { get; private set; }

    public void AddHead(Slab slab)
    {
        Detach(slab);
        slab.List = this;
        slab.ListPrev = null;
        slab.ListNext = First;
        if (First is null)
        {
            Last = slab;
        }
        else
        {
            First.ListPrev = slab;
        }
        First = slab;
        Count++;
    }

    public void AddTail(Slab slab)
    {
        Detach(slab);
        slab.List = this;
        slab.ListNext = null;
        slab.ListPrev = Last;
        if (Last is null)
        {
            First = slab;
        }
        else
        {
            Last.ListNext = slab;
        }
        Last = slab;
        Count++;
    }

    public void Remove(Slab slab)
    {
        if (slab.List != this)
        {
            throw new InvalidOperationException("The slab is not on this list.");
        }
        if (slab.ListPrev is null)
        {
            First = slab.ListNext;
        }
        else
        {
            slab.ListPrev.ListNext = slab.ListNext;
        }
        if (slab.ListNext is null)
        {
            Last = slab.ListPrev;
        }
        else
        {
            slab.ListNext.ListPrev = slab.ListPrev;
        }
        slab.List = null;
        slab.ListPrev = null;
        slab.ListNext = null;
        Count--;
    }

    public Slab? PopHead()
    {
        var slab = First;
        if (slab is not null)
        {
            Remove(slab);
        }
        return slab;
    }

    private static void Detach(Slab slab) => slab.List?.Remove(slab);
}
