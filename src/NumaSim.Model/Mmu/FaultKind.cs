namespace NumaSim.Model.Mmu;

/// <summary>What the MMU finds for an access.</summary>
public enum FaultKind
{
    /// <summary>A present entry with the needed permission.</summary>
    None,

    /// <summary>A not-present page in a mapping: demand paging allocates it (a minor fault).</summary>
    NotPresent,

    /// <summary>No mapping at the address (SEGV_MAPERR).</summary>
    NoMapping,

    /// <summary>The mapping forbids the access (SEGV_ACCERR), e.g. a write to a read-only range.</summary>
    Permission,

    /// <summary>
    /// A write to a present read-only entry of a writable mapping (do_wp_page): the zero page a read mapped is
    /// replaced by a page of the mapping's own (wp_page_copy).
    /// </summary>
    WriteProtect,

    /// <summary>A swap entry: the page is out in swap and do_swap_page brings it back (a major fault unless it is still in the swap cache).</summary>
    Swap,

    /// <summary>A PROT_NONE entry NUMA balancing's scan left in an accessible mapping: a hinting fault (do_numa_page).</summary>
    NumaHint,
}
