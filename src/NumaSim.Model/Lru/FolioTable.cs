namespace NumaSim.Model.Lru;

/// <summary>
/// Per-page LRU state and list links (folio->flags' LRU bits and folio->lru), kept in chunks of 64 Ki pages that
/// exist only where pages were ever put on a list, so a terabyte machine that touches little costs little. A link
/// takes 5 bytes (a pfn below 2^40), a page 12 bytes with its state: a filled
/// terabyte machine has every page on a list.
/// </summary>
internal sealed class FolioTable
{
    private const int ChunkShift = 16;
    private const int ChunkSize = 1 << ChunkShift;

    private readonly Dictionary<long, Chunk> _chunks = [];

    public ushort State(long pfn) => _chunks.TryGetValue(pfn >> ChunkShift, out var c) ? c.State[pfn & (ChunkSize - 1)] : (ushort)0;

    public void SetState(long pfn, ushort state) => Get(pfn).State[pfn & (ChunkSize - 1)] = state;

    public long Prev(long pfn)
    {
        var c = Get(pfn);
        var i = pfn & (ChunkSize - 1);
        return Link(c.PrevLow[i], c.PrevHigh[i]);
    }

    public long Next(long pfn)
    {
        var c = Get(pfn);
        var i = pfn & (ChunkSize - 1);
        return Link(c.NextLow[i], c.NextHigh[i]);
    }

    public void SetPrev(long pfn, long prev)
    {
        var c = Get(pfn);
        var i = pfn & (ChunkSize - 1);
        (c.PrevLow[i], c.PrevHigh[i]) = Split(prev);
    }

    public void SetNext(long pfn, long next)
    {
        var c = Get(pfn);
        var i = pfn & (ChunkSize - 1);
        (c.NextLow[i], c.NextHigh[i]) = Split(next);
    }

    private static long Link(uint low, byte high) => (((long)high << 32) | low) - 1;

    private static (uint Low, byte High) Split(long pfn) => ((uint)(pfn + 1), checked((byte)((pfn + 1) >> 32)));

    private Chunk Get(long pfn)
    {
        if (!_chunks.TryGetValue(pfn >> ChunkShift, out var chunk))
        {
            chunk = _chunks[pfn >> ChunkShift] = new Chunk();
        }
        return chunk;
    }

    // Links hold pfn + 1, so that a fresh chunk's zeros mean "no neighbour".
    private sealed class Chunk
    {
        public readonly ushort[] State = new ushort[ChunkSize];
        public readonly uint[] PrevLow = new uint[ChunkSize];
        public readonly byte[] PrevHigh = new byte[ChunkSize];
        public readonly uint[] NextLow = new uint[ChunkSize];
        public readonly byte[] NextHigh = new byte[ChunkSize];
    }
}
