using System.Collections;

namespace NumaSim.Model.Mmu;

/// <summary>
/// The page-table pages a fault allocated for the levels it found missing, top first, until the entry is installed
/// (or, if the fault fails, freed). A fixed array of its own rather than a framework list over a value tuple, which
/// ReadyToRun cannot precompile: every fault clears, counts and reads it.
/// </summary>
public sealed class NewTablePages : IReadOnlyList<(long Pfn, int Node)>
{
    // One page per level below the root, for the deepest paging mode (5 levels).
    private readonly (long Pfn, int Node)[] _pages = new (long, int)[8];

    public int Count { get; private set; }

    public (long Pfn, int Node) this[int index] =>
        index < Count ? _pages[index] : throw new ArgumentOutOfRangeException(nameof(index), $"{Count} table pages");

    public void Add((long Pfn, int Node) page) => _pages[Count++] = page;

    public void Clear() => Count = 0;

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<(long Pfn, int Node)> IEnumerable<(long Pfn, int Node)>.GetEnumerator() => ((IEnumerable<(long Pfn, int Node)>)_pages[..Count]).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _pages[..Count].GetEnumerator();

    public struct Enumerator(NewTablePages pages)
    {
        private int _index = -1;

        public readonly (long Pfn, int Node) Current => pages._pages[_index];

        public bool MoveNext() => ++_index < pages.Count;
    }
}
