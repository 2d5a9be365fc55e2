namespace NumaSim.Model.Vmalloc;

/// <summary>
/// What vfree did. For <see cref="VfreeStatus.Freed"/>: the pages to hand back to the page allocator (PFN and node,
/// in virtual order; none if the area was never populated) and the virtual pages whose translations every CPU must
/// drop (the caller sends the flush IPIs). Otherwise <see cref="Warning"/> is the kernel's WARN text.
/// </summary>
public sealed record VfreeResult(
    VfreeStatus Status,
    ulong Address,
    VmArea? Area,
    IReadOnlyList<(long Pfn, int Node)> Pages,
    long[] FlushVpns)
{
    /// <summary>The WARN line of mm/vmalloc.c for a bad or unknown address, null otherwise.</summary>
    public string? Warning => Status switch
    {
        VfreeStatus.BadAddress => VmallocWarnings.BadAddress(Address),
        VfreeStatus.Nonexistent => VmallocWarnings.NonexistentArea(Address),
        _ => null,
    };

    internal static VfreeResult Nothing(VfreeStatus status, ulong address) => new(status, address, null, [], []);
}
