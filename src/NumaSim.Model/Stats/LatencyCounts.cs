namespace NumaSim.Model.Stats;

/// <summary>
/// One kind's latency histogram: how many times each value in ns was seen. An open-addressed table of its own
/// rather than a Dictionary of long to long, because every access and fault counts into one: that dictionary is a
/// framework generic over value types, which ReadyToRun cannot precompile, so a cold run counted through
/// unoptimised code. Latencies take few distinct values, so the table stays small.
/// </summary>
public sealed class LatencyCounts
{
    // No latency is long.MinValue ns: it marks an empty slot.
    private const long Empty = long.MinValue;

    private long[] _keys = NewKeys(16);
    private long[] _counts = new long[16];

    /// <summary>Distinct values seen.</summary>
    public int Count { get; private set; }

    public void Add(long ns, long count = 1)
    {
        var mask = _keys.Length - 1;
        var slot = Slot(ns, mask);
        while (true)
        {
            var key = _keys[slot];
            if (key == ns)
            {
                _counts[slot] += count;
                return;
            }
            if (key == Empty)
            {
                break;
            }
            slot = (slot + 1) & mask;
        }
        _keys[slot] = ns;
        _counts[slot] = count;
        if (++Count * 2 > _keys.Length)
        {
            Grow();
        }
    }

    public Enumerator GetEnumerator() => new(this);

    private static int Slot(long ns, int mask) => (int)((ulong)(ns * unchecked((long)0x9E3779B97F4A7C15UL)) >> 32) & mask;

    private static long[] NewKeys(int size)
    {
        var keys = new long[size];
        Array.Fill(keys, Empty);
        return keys;
    }

    private void Grow()
    {
        var (keys, counts) = (_keys, _counts);
        _keys = NewKeys(keys.Length * 2);
        _counts = new long[keys.Length * 2];
        var mask = _keys.Length - 1;
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] == Empty)
            {
                continue;
            }
            var slot = Slot(keys[i], mask);
            while (_keys[slot] != Empty)
            {
                slot = (slot + 1) & mask;
            }
            _keys[slot] = keys[i];
            _counts[slot] = counts[i];
        }
    }

    /// <summary>The (ns, count) pairs, in no particular order.</summary>
    public struct Enumerator(LatencyCounts counts)
    {
        private int _slot = -1;

        public readonly (long Ns, long Count) Current => (counts._keys[_slot], counts._counts[_slot]);

        public bool MoveNext()
        {
            while (++_slot < counts._keys.Length)
            {
                if (counts._keys[_slot] != Empty)
                {
                    return true;
                }
            }
            return false;
        }
    }
}
