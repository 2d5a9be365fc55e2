namespace NumaSim.Model.Lru;

/// <summary>
/// The LRU bits of one page's flags, packed as the kernel packs them in folio->flags: the generation (+1, 0 off
/// the LRU: LRU_GEN_MASK), the type, the zone, the reference count of MGLRU's tiers (LRU_REFS_MASK) and
/// PG_referenced / PG_workingset.
/// </summary>
internal static class FolioLruState
{
    private const int GenMask = 0x7;
    private const int TypeBit = 0x8;
    private const int ZoneShift = 4;
    private const int ZoneMask = 0x3 << ZoneShift;
    private const int RefsShift = 6;
    private const int RefsMask = 0x3 << RefsShift;
    private const int Referenced = 0x100;
    private const int Workingset = 0x200;

    // The bits a list fixes (generation, type, zone) below PageShift; the bits that vary page by page (refs,
    // PG_referenced, PG_workingset) in the four above it.
    private const int PageShift = 6;
    private const int ListMask = (1 << PageShift) - 1;

    /// <summary>BIT(LRU_REFS_WIDTH) - 1 with LRU_REFS_WIDTH 2 on x86-64: the most refs a folio counts.</summary>
    public const int MaxRefs = 3;

    public static ushort Make(int gen, LruType type, int zone) =>
        (ushort)((gen + 1) | (type == LruType.File ? TypeBit : 0) | (zone << ZoneShift));

    public static bool OnLru(ushort state) => (state & GenMask) != 0;

    public static int Gen(ushort state) => (state & GenMask) - 1;

    public static ushort WithGen(ushort state, int gen) => (ushort)((state & ~GenMask) | (gen + 1));

    public static LruType Type(ushort state) => (state & TypeBit) != 0 ? LruType.File : LruType.Anon;

    public static int Zone(ushort state) => (state & ZoneMask) >> ZoneShift;

    public static int Refs(ushort state) => (state & RefsMask) >> RefsShift;

    public static ushort WithRefs(ushort state, int refs) => (ushort)((state & ~RefsMask) | (refs << RefsShift));

    public static bool IsReferenced(ushort state) => (state & Referenced) != 0;

    public static ushort SetReferenced(ushort state, bool on) => (ushort)(on ? state | Referenced : state & ~Referenced);

    public static bool IsWorkingset(ushort state) => (state & Workingset) != 0;

    public static ushort SetWorkingset(ushort state, bool on) => (ushort)(on ? state | Workingset : state & ~Workingset);

    /// <summary>The generation, type and zone: what the list a folio is on decides.</summary>
    public static ushort ListPart(ushort state) => (ushort)(state & ListMask);

    /// <summary>Refs, PG_referenced and PG_workingset: what varies from folio to folio on one list (4 bits).</summary>
    public static byte PagePart(ushort state) => (byte)((state >> PageShift) & 0xF);

    public static ushort Join(ushort listPart, int pagePart) => (ushort)(listPart | (pagePart << PageShift));
}
