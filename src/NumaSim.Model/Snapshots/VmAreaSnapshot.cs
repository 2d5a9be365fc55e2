namespace NumaSim.Model.Snapshots;

/// <summary>
/// One vm_struct as /proc/vmallocinfo shows it: address, size with the guard page, caller, nr_pages and the pages
/// per node (indexed by node id, what show_numa_info counts). <see cref="Populated"/> false is VM_UNINITIALIZED:
/// the area is reserved but its pages are not in yet.
/// </summary>
public sealed record VmAreaSnapshot(
    ulong Address,
    long Size,
    string Caller,
    int NrPages,
    IReadOnlyList<int> NodePages,
    bool Populated = true)
{
    public ulong End => Address + (ulong)Size;
}
