namespace NumaSim.Model.Mmu;

/// <summary>
/// The anonymous folios an operation mapped new, in order: each one's pfn, zone, order and the virtual page that
/// maps it, for the driver to put on the LRU. An array of its own rather than a framework list or span over a value
/// tuple, whose methods ReadyToRun cannot precompile: every fault adds one and the driver reads it.
/// </summary>
public sealed class MappedFolios
{
    private (long Pfn, int Zone, int Order, long Vpn)[] _folios = new (long, int, int, long)[16];

    public int Count { get; private set; }

    public (long Pfn, int Zone, int Order, long Vpn) this[int index] =>
        index < Count ? _folios[index] : throw new ArgumentOutOfRangeException(nameof(index), $"{Count} folios");

    public void Add(long pfn, int zone, int order, long vpn)
    {
        if (Count == _folios.Length)
        {
            var bigger = new (long, int, int, long)[_folios.Length * 2];
            Array.Copy(_folios, bigger, Count);
            _folios = bigger;
        }
        // Field by field: the tuple's constructor is framework code a cold process would run unoptimised.
        ref var folio = ref _folios[Count++];
        folio.Pfn = pfn;
        folio.Zone = zone;
        folio.Order = order;
        folio.Vpn = vpn;
    }

    /// <summary>The folio at <paramref name="pfn"/> leaves the list (it was freed before reaching the LRU).</summary>
    public void Remove(long pfn)
    {
        var i = Count - 1;
        while (_folios[i].Pfn != pfn)
        {
            i--;
        }
        Count--;
        Array.Copy(_folios, i + 1, _folios, i, Count - i);
    }

    public void Clear() => Count = 0;

    public Enumerator GetEnumerator() => new(this);

    public struct Enumerator(MappedFolios folios)
    {
        private int _index = -1;

        public readonly (long Pfn, int Zone, int Order, long Vpn) Current => folios._folios[_index];

        public bool MoveNext() => ++_index < folios.Count;
    }
}
