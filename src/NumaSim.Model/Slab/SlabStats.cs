namespace NumaSim.Model.Slab;

/// <summary>SLAB's STATS counters (mm/slab.c; slabinfo's globalstat and cpustat columns with CONFIG_DEBUG_SLAB).</summary>
public sealed class SlabStats
{
    /// <summary>allochit / allocmiss: allocations served by the CPU array, and those that had to refill it.</summary>
    public long AllocHit { get; internal set; }

    public long AllocMiss { get; internal set; }

    /// <summary>freehit / freemiss: frees into a CPU array with room, and those that first flushed batchcount.</summary>
    public long FreeHit { get; internal set; }

    public long FreeMiss { get; internal set; }

    /// <summary>num_allocations: objects taken off slabs into arrays or handed out directly.</summary>
    public long Allocations { get; internal set; }

    /// <summary>grown: slabs added by cache_grow.</summary>
    public long Grown { get; internal set; }

    /// <summary>reaped: free slabs cache_reap gave back.</summary>
    public long Reaped { get; internal set; }

    /// <summary>node_allocs: objects taken straight off a node's lists (____cache_alloc_node).</summary>
    public long NodeAllocs { get; internal set; }

    /// <summary>node_frees / node_overflow: frees of another node's objects, and alien arrays found full.</summary>
    public long NodeFrees { get; internal set; }

    public long NodeOverflow { get; internal set; }

    /// <summary>Slabs returned to the page source (slab_destroy).</summary>
    public long FreeSlab { get; internal set; }

    /// <summary>Allocations that found no memory.</summary>
    public long AllocFailed { get; internal set; }
}
