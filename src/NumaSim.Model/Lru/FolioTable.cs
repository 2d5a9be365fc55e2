namespace NumaSim.Model.Lru;

/// <summary>
/// Per-page LRU state and list links (folio->flags' LRU bits and folio->lru), kept in chunks of 64 Ki pages that
/// exist only where pages were ever put on a list, so a terabyte machine that touches little costs little.
/// </summary>
internal sealed class FolioTable
{
    private const int ChunkShift = 16;
    private const int ChunkSize = 1 << ChunkShift;

    private readonly Dictionary<long, Chunk> _chunks = [];

    public ushort State(long pfn) => _chunks.TryGetValue(pfn >> ChunkShift, out var c) ? c.State[pfn & (ChunkSize - 1)] : (ushort)0;

    public void SetState(long pfn, ushort state) => Get(pfn).State[pfn & (ChunkSize - 1)] = state;

    public long Prev(long pfn) => Get(pfn).Prev[pfn & (ChunkSize - 1)] - 1;

    public long Next(long pfn) => Get(pfn).Next[pfn & (ChunkSize - 1)] - 1;

    public void SetPrev(long pfn, long prev) => Get(pfn).Prev[pfn & (ChunkSize - 1)] = prev + 1;

    public void SetNext(long pfn, long next) => Get(pfn).Next[pfn & (ChunkSize - 1)] = next + 1;

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
        public readonly long[] Prev = new long[ChunkSize];
        public readonly long[] Next = new long[ChunkSize];
    }
}
