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
}
