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

/// <summary>
/// A leaf entry: the physical page, the node it is on, and its permissions, packed in one 64-bit word as the
/// kernel's pte_t is (a filled terabyte machine holds hundreds of millions of them: three fields would take 16
/// bytes each). Bits 0-15 are the flags, 16-28 the node (signed: a swap entry's is -1), 29-63 the pfn (or the swap
/// slot): up to 2^35 pages, 128 TiB of 4 KiB pages.
/// </summary>
public readonly record struct Pte
{
    /// <summary>The largest pfn (or swap slot) an entry holds.</summary>
    public const long MaxPfn = (1L << PfnBits) - 1;

    private const int NodeShift = 16;
    private const int NodeBits = 13;
    private const int PfnShift = NodeShift + NodeBits;
    private const int PfnBits = 64 - PfnShift;
    private const int MinNode = -(1 << (NodeBits - 1));
    private const int MaxNode = (1 << (NodeBits - 1)) - 1;

    private readonly ulong _bits;

    public Pte(long pfn, int node, PteFlags flags) => _bits = Pack(pfn, node, flags);

    private Pte(ulong bits) => _bits = bits;

    public long Pfn
    {
        get => (long)(_bits >> PfnShift);
        init => _bits = Pack(value, Node, Flags);
    }

    public int Node
    {
        get => (int)((long)(_bits << (64 - PfnShift)) >> (64 - NodeBits));
        init => _bits = Pack(Pfn, value, Flags);
    }

    public PteFlags Flags
    {
        get => (PteFlags)(ushort)_bits;
        init => _bits = Pack(Pfn, Node, value);
    }

    public bool Present => (Flags & PteFlags.Present) != 0;

    public bool Writable => (Flags & PteFlags.Write) != 0;

    public bool Huge => (Flags & PteFlags.Huge) != 0;

    /// <summary>The shared zero page, not a page of this mapping's own.</summary>
    public bool ZeroPage => (Flags & PteFlags.Special) != 0;

    /// <summary>A NUMA hinting entry (pte_protnone).</summary>
    public bool ProtNone => (Flags & PteFlags.ProtNone) != 0;

    /// <summary>A swap entry: not present, its slot in Pfn.</summary>
    public bool IsSwap => !Present && (Flags & PteFlags.Swap) != 0;

    /// <summary>
    /// The entry <paramref name="pages"/> pages further on in a run: the same node and flags, the pfn (or swap slot)
    /// advanced, without unpacking (a run-compressed table reads every entry this way).
    /// </summary>
    public Pte Advance(long pages) => new(_bits + ((ulong)pages << PfnShift));

    /// <summary>swp_entry_to_pte: the entry naming a swap slot.</summary>
    public static Pte SwapEntry(long slot) => new(slot, -1, PteFlags.Swap);

    private static ulong Pack(long pfn, int node, PteFlags flags)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pfn);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pfn, MaxPfn);
        ArgumentOutOfRangeException.ThrowIfLessThan(node, MinNode);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(node, MaxNode);
        return ((ulong)pfn << PfnShift) | (((ulong)node & ((1UL << NodeBits) - 1)) << NodeShift) | (ushort)flags;
    }
}
