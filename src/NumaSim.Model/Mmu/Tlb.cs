namespace NumaSim.Model.Mmu;

/// <summary>
/// A set-associative TLB with LRU replacement, tagged by address space (like PCID/ASID), so a
/// task switch needs no flush. Sets are indexed by the low bits of the virtual page number.
/// </summary>
public sealed class Tlb
{
    private const int AsidShift = 45;
    private readonly long[] _keys;
    private readonly Pte[] _entries;
    private readonly long[] _lastUse;
    private long _clock;

    public Tlb(int entries, int ways)
    {
        if (ways < 1 || entries < ways || entries % ways != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ways), $"{entries} entries cannot be split into sets of {ways} ways");
        }
        Ways = ways;
        Sets = entries / ways;
        _keys = new long[entries];
        Array.Fill(_keys, -1);
        _entries = new Pte[entries];
        _lastUse = new long[entries];
    }

    public int Sets { get; }
    public int Ways { get; }
    public long Hits { get; private set; }
    public long Misses { get; private set; }
    public long Evictions { get; private set; }
    public long Invalidations { get; private set; }

    public bool TryLookup(int asid, long vpn, out Pte pte)
    {
        var key = Key(asid, vpn);
        var set = SetStart(vpn);
        for (var i = set; i < set + Ways; i++)
        {
            if (_keys[i] == key)
            {
                _lastUse[i] = ++_clock;
                pte = _entries[i];
                Hits++;
                return true;
            }
        }
        Misses++;
        pte = default;
        return false;
    }

    /// <summary>Caches a translation, evicting the set's least recently used entry if the set is full.</summary>
    public void Insert(int asid, long vpn, Pte pte)
    {
        var key = Key(asid, vpn);
        var set = SetStart(vpn);
        var victim = -1;
        var empty = -1;
        var oldest = set;
        for (var i = set; i < set + Ways; i++)
        {
            if (_keys[i] == key)
            {
                victim = i;
                break;
            }
            if (_keys[i] == -1)
            {
                empty = empty < 0 ? i : empty;
            }
            else if (_lastUse[i] < _lastUse[oldest] || _keys[oldest] == -1)
            {
                oldest = i;
            }
        }
        // The same translation again replaces itself; else a free way; else the least recently used.
        victim = victim >= 0 ? victim : empty >= 0 ? empty : oldest;
        if (_keys[victim] != -1 && _keys[victim] != key)
        {
            Evictions++;
        }
        _keys[victim] = key;
        _entries[victim] = pte;
        _lastUse[victim] = ++_clock;
    }

    public bool Contains(int asid, long vpn)
    {
        var key = Key(asid, vpn);
        var set = SetStart(vpn);
        for (var i = set; i < set + Ways; i++)
        {
            if (_keys[i] == key)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>invlpg: drops one translation; true if it was cached.</summary>
    public bool Invalidate(int asid, long vpn)
    {
        var key = Key(asid, vpn);
        var set = SetStart(vpn);
        for (var i = set; i < set + Ways; i++)
        {
            if (_keys[i] == key)
            {
                _keys[i] = -1;
                Invalidations++;
                return true;
            }
        }
        return false;
    }

    private int SetStart(long vpn) => (int)(vpn % Sets) * Ways;

    private static long Key(int asid, long vpn) => ((long)asid << AsidShift) | vpn;
}
