namespace NumaSim.Model.Mmu;

/// <summary>Permission and state bits of a page-table entry (x86 names).</summary>
[Flags]
public enum PteFlags : ushort
{
    None = 0,
    Present = 1,
    Read = 2,
    Write = 4,
    Exec = 8,
    User = 16,
    Accessed = 32,
    Dirty = 64,

    /// <summary>A leaf one level above the last (PSE / block descriptor): a transparent huge page.</summary>
    Huge = 128,

    /// <summary>
    /// pte_special: the entry maps no page of its own but the kernel's shared zero page (a read of untouched
    /// anonymous memory); it is read-only, counts in no RSS, and a write to it copies (do_wp_page).
    /// </summary>
    Special = 256,

    /// <summary>
    /// A not-present entry that holds a swap entry (swp_entry_t, is_swap_pte): the page is out in swap, its slot
    /// in <see cref="Pte.Pfn"/>; a fault on it is do_swap_page.
    /// </summary>
    Swap = 512,

    /// <summary>
    /// _PAGE_PROTNONE: NUMA balancing's scan took the entry's access away (change_prot_numa) while the page stays
    /// mapped (pte_present holds); the next access takes a hinting fault (do_numa_page), and no TLB holds it.
    /// </summary>
    ProtNone = 1024,
}

/// <summary>A leaf entry: the physical page, the node it is on, and its permissions.</summary>
public readonly record struct Pte(long Pfn, int Node, PteFlags Flags)
{
    public bool Present => (Flags & PteFlags.Present) != 0;

    public bool Writable => (Flags & PteFlags.Write) != 0;

    public bool Huge => (Flags & PteFlags.Huge) != 0;

    /// <summary>The shared zero page, not a page of this mapping's own.</summary>
    public bool ZeroPage => (Flags & PteFlags.Special) != 0;

    /// <summary>A NUMA hinting entry (pte_protnone).</summary>
    public bool ProtNone => (Flags & PteFlags.ProtNone) != 0;

    /// <summary>A swap entry: not present, its slot in Pfn.</summary>
    public bool IsSwap => !Present && (Flags & PteFlags.Swap) != 0;

    /// <summary>swp_entry_to_pte: the entry naming a swap slot.</summary>
    public static Pte SwapEntry(long slot) => new(slot, -1, PteFlags.Swap);
}
