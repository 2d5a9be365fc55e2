namespace NumaSim.Model.Slab;

/// <summary>
/// struct slab: one block of 2^order pages cut into objects. Free objects are chained through <see cref="Next"/>
/// (the free pointer inside each object): <see cref="FreeHead"/> is slab->freelist; a CPU slab's lockless freelist
/// (kmem_cache_cpu->freelist) chains through the same array. SLAB uses the same chain as its freelist index array
/// (slab_get_obj takes from the front, slab_put_obj pushes back: both LIFO) and <see cref="ObjectsOffset"/> as
/// s_mem, the colour offset of the first object.
/// </summary>
internal sealed class Slab
{
    public Slab(long pfn, int order, int node, int objects, bool keepBytes, int pageSize, bool tracksOrigSize, int objectsOffset = 0)
    {
        Pfn = pfn;
        ObjectsOffset = objectsOffset;
        Order = order;
        Node = node;
        Objects = objects;
        Next = new int[objects];
        for (var i = 0; i < objects - 1; i++)
        {
            Next[i] = i + 1;
        }
        Next[objects - 1] = -1;
        FreeHead = 0;
        FreeCount = objects;
        Allocated = new bool[objects];
        if (keepBytes)
        {
            Bytes = new byte[(long)pageSize << order];
        }
        if (tracksOrigSize)
        {
            OrigSize = new int[objects];
        }
    }

    public long Pfn { get; }

    public int Order { get; }

    public int Node { get; }

    /// <summary>SLAB's s_mem - page_address: where the first object starts (the slab's colour).</summary>
    public int ObjectsOffset { get; }

    /// <summary>Objects taken off the slab's freelist (SLAB's slab->active: in use or sitting in an array cache).</summary>
    public int Active => Objects - FreeCount;

    /// <summary>slab->objects.</summary>
    public int Objects { get; }

    public int[] Next { get; }

    /// <summary>slab->freelist (-1: NULL).</summary>
    public int FreeHead { get; set; }

    /// <summary>Objects on slab->freelist.</summary>
    public int FreeCount { get; set; }

    /// <summary>Objects handed out and not freed (the model's truth; slab->inuse for unfrozen slabs).</summary>
    public int Live { get; set; }

    public bool[] Allocated { get; }

    public SlabState State { get; set; }

    /// <summary>The CPU whose active slab or partial list this is.</summary>
    public int Cpu { get; set; } = -1;

    /// <summary>The slab's bytes (debug caches only).</summary>
    public byte[]? Bytes { get; }

    /// <summary>orig_size per object (kmalloc caches with SLAB_STORE_USER).</summary>
    public int[]? OrigSize { get; }

    public SlabList? List { get; set; }

    public Slab? ListPrev { get; set; }

    public Slab? ListNext { get; set; }

    public bool IsEmpty => Live == 0;

    public void PushFree(int index)
    {
        Next[index] = FreeHead;
        FreeHead = index;
        FreeCount++;
    }

    public int PopFree()
    {
        var index = FreeHead;
        FreeHead = Next[index];
        FreeCount--;
        return index;
    }
}
