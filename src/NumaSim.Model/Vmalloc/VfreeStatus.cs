namespace NumaSim.Model.Vmalloc;

/// <summary>What vfree found at the address it was given.</summary>
public enum VfreeStatus
{
    /// <summary>An area held the address: it is unmapped and its range free again.</summary>
    Freed,

    /// <summary>vfree(NULL): nothing to do, silently.</summary>
    Null,

    /// <summary>Not page aligned: "Trying to vfree() bad address (%p)", nothing freed.</summary>
    BadAddress,

    /// <summary>No area holds the address: "Trying to vfree() nonexistent vm area (%p)", nothing freed.</summary>
    Nonexistent,
}
