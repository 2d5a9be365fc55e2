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

    // The chunk asked for last: a folio's links and state, and mostly its neighbours', are in the same chunk, so most
    // lookups do not reach the dictionary.
    private long _lastChunkIndex = -1;
    private Chunk? _lastChunk;

    public ushort State(long pfn) => Find(pfn >> ChunkShift) is { } c ? c.State[pfn & (ChunkSize - 1)] : (ushort)0;

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
        c.PrevLow[i] = Low(prev);
        c.PrevHigh[i] = High(prev);
    }

    public void SetNext(long pfn, long next)
    {
        var c = Get(pfn);
        var i = pfn & (ChunkSize - 1);
        c.NextLow[i] = Low(next);
        c.NextHigh[i] = High(next);
    }

    private static long Link(uint low, byte high) => (((long)high << 32) | low) - 1;

    // A link split into its 5 bytes, written without a tuple (whose constructor is framework code ReadyToRun leaves
    // to the JIT).
    private static uint Low(long pfn) => (uint)(pfn + 1);

    private static byte High(long pfn) => checked((byte)((pfn + 1) >> 32));

    private Chunk? Find(long index)
    {
        if (index == _lastChunkIndex)
        {
            return _lastChunk;
        }
        if (!_chunks.TryGetValue(index, out var chunk))
        {
            return null;
        }
        (_lastChunkIndex, _lastChunk) = (index, chunk);
        return chunk;
    }

    private Chunk Get(long pfn)
    {
        var index = pfn >> ChunkShift;
        if (Find(index) is { } chunk)
        {
            return chunk;
        }
        chunk = _chunks[index] = new Chunk();
        (_lastChunkIndex, _lastChunk) = (index, chunk);
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
