namespace NumaSim.Model.Slab;

/// <summary>The CONFIG_SLUB_STATS counters (enum stat_item in mm/slub.c, /sys/kernel/slab/NAME/*) the model keeps.</summary>
public sealed class SlubStats
{
    /// <summary>ALLOC_FASTPATH: allocation from the CPU's lockless freelist.</summary>
    public long AllocFastpath { get; internal set; }

    /// <summary>ALLOC_SLOWPATH: every allocation that entered ___slab_alloc.</summary>
    public long AllocSlowpath { get; internal set; }

    /// <summary>ALLOC_REFILL: the CPU slab's freelist refilled from objects other CPUs freed into it.</summary>
    public long AllocRefill { get; internal set; }

    /// <summary>CPU_PARTIAL_ALLOC: a slab taken from the CPU's partial list.</summary>
    public long CpuPartialAlloc { get; internal set; }

    /// <summary>ALLOC_FROM_PARTIAL: a slab taken from a node's partial list.</summary>
    public long AllocFromPartial { get; internal set; }

    /// <summary>ALLOC_SLAB: a new slab from the page source.</summary>
    public long AllocSlab { get; internal set; }

    /// <summary>ALLOC_NODE_MISMATCH: the CPU slab was on another node than asked for.</summary>
    public long AllocNodeMismatch { get; internal set; }

    /// <summary>ORDER_FALLBACK: the preferred order failed and the minimum order was used.</summary>
    public long OrderFallback { get; internal set; }

    /// <summary>Allocations that found no memory (slab_out_of_memory).</summary>
    public long AllocFailed { get; internal set; }

    /// <summary>FREE_FASTPATH: freed by the CPU owning the slab into its lockless freelist.</summary>
    public long FreeFastpath { get; internal set; }

    /// <summary>FREE_SLOWPATH: every free through __slab_free (remote or not the CPU slab).</summary>
    public long FreeSlowpath { get; internal set; }

    /// <summary>FREE_FROZEN: freed into another CPU's active slab (remote free).</summary>
    public long FreeFrozen { get; internal set; }

    /// <summary>CPU_PARTIAL_FREE: a full slab put on the freeing CPU's partial list.</summary>
    public long CpuPartialFree { get; internal set; }

    /// <summary>CPU_PARTIAL_NODE: slabs moved from a node partial list to a CPU partial list on refill.</summary>
    public long CpuPartialNode { get; internal set; }

    /// <summary>CPU_PARTIAL_DRAIN: a full CPU partial list moved to the node lists.</summary>
    public long CpuPartialDrain { get; internal set; }

    /// <summary>FREE_ADD_PARTIAL / FREE_REMOVE_PARTIAL.</summary>
    public long FreeAddPartial { get; internal set; }

    public long FreeRemovePartial { get; internal set; }

    /// <summary>FREE_SLAB: slabs returned to the page source.</summary>
    public long FreeSlab { get; internal set; }

    /// <summary>DEACTIVATE_FULL / DEACTIVATE_EMPTY / DEACTIVATE_TO_HEAD / DEACTIVATE_TO_TAIL / DEACTIVATE_BYPASS.</summary>
    public long DeactivateFull { get; internal set; }

    public long DeactivateEmpty { get; internal set; }

    public long DeactivateToHead { get; internal set; }

    public long DeactivateToTail { get; internal set; }

    public long DeactivateBypass { get; internal set; }

    /// <summary>CPUSLAB_FLUSH.</summary>
    public long CpuSlabFlush { get; internal set; }
}
