using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Mmu;

/// <summary>A mapping [StartVpn, EndVpn) with its protection and NUMA policy (vm_area_struct).</summary>
public sealed record Vma(long StartVpn, long EndVpn, Protection Protection, MemPolicy Policy)
{
    public long Pages => EndVpn - StartVpn;

    /// <summary>VM_HUGEPAGE (madvise(MADV_HUGEPAGE)): faults map transparent huge pages where a whole one fits.</summary>
    public bool Hugepage { get; init; }

    public bool Contains(long vpn) => vpn >= StartVpn && vpn < EndVpn;
}
