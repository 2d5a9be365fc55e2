namespace NumaSim.Model.Lru;

/// <summary>
/// A CPU's folios on their way to one node's LRU (folio_add_lru's per-CPU folio_batch, cpu_fbatches.lru_add): each
/// new anonymous folio's task, pfn, order and virtual page, in the order they were mapped, until the batch is drained
/// into one message. A folio freed while still here leaves it (<see cref="Remove"/>). Parallel arrays and a pfn table
/// of its own rather than framework lists and sets over value types: one Add per fault, which ReadyToRun precompiles
/// here and could not there.
/// </summary>
public sealed class FolioBatch
{
    private int[] _tasks = new int[64];
    private long[] _pfns = new long[64];
    private int[] _orders = new int[64];
    private long[] _vpns = new long[64];
    private readonly PfnSet _queued = new();

    public int Count { get; private set; }

    public void Add(int task, long pfn, int order, long vpn)
    {
        if (Count == _pfns.Length)
        {
            Grow();
        }
        _tasks[Count] = task;
        _pfns[Count] = pfn;
        _orders[Count] = order;
        _vpns[Count] = vpn;
        Count++;
        _queued.Add(pfn);
    }

    /// <summary>Takes the folio at <paramref name="pfn"/> out of the batch; false when it is not in it (it reached the LRU).</summary>
    public bool Remove(long pfn)
    {
        if (!_queued.Remove(pfn))
        {
            return false;
        }
        var i = Count - 1;
        while (_pfns[i] != pfn)
        {
            i--;
        }
        Count--;
        Array.Copy(_tasks, i + 1, _tasks, i, Count - i);
        Array.Copy(_pfns, i + 1, _pfns, i, Count - i);
        Array.Copy(_orders, i + 1, _orders, i, Count - i);
        Array.Copy(_vpns, i + 1, _vpns, i, Count - i);
        return true;
    }

    /// <summary>The batch's folios as arrays of tasks, pfns, orders and virtual pages, in order; the batch is then empty.</summary>
    public (int[] Tasks, long[] Pfns, int[] Orders, long[] Vpns) Drain()
    {
        var drained = (Copy(_tasks), Copy(_pfns), Copy(_orders), Copy(_vpns));
        Count = 0;
        _queued.Clear();
        return drained;
    }

    private int[] Copy(int[] source)
    {
        var copy = new int[Count];
        Array.Copy(source, copy, Count);
        return copy;
    }

    private long[] Copy(long[] source)
    {
        var copy = new long[Count];
        Array.Copy(source, copy, Count);
        return copy;
    }

    private void Grow()
    {
        _tasks = Grown(_tasks);
        _pfns = Grown(_pfns);
        _orders = Grown(_orders);
        _vpns = Grown(_vpns);
    }

    private static int[] Grown(int[] source)
    {
        var bigger = new int[source.Length * 2];
        Array.Copy(source, bigger, source.Length);
        return bigger;
    }

    private static long[] Grown(long[] source)
    {
        var bigger = new long[source.Length * 2];
        Array.Copy(source, bigger, source.Length);
        return bigger;
    }

    /// <summary>
    /// The pfns in the batch, so that a free asks in constant time whether its folio is still here. Open addressing
    /// with a generation stamp per slot: emptying it for the next batch is one increment, whatever it held before.
    /// </summary>
    private sealed class PfnSet
    {
        private const long Removed = -1;

        private long[] _keys = new long[128];
        private int[] _stamps = new int[128];
        private int _stamp = 1;
        private int _used;

        public void Add(long pfn)
        {
            if ((_used + 1) * 2 > _keys.Length)
            {
                Rehash(_keys.Length * 2);
            }
            var mask = _keys.Length - 1;
            var slot = Slot(pfn, mask);
            while (_stamps[slot] == _stamp)
            {
                slot = (slot + 1) & mask;
            }
            _keys[slot] = pfn;
            _stamps[slot] = _stamp;
            _used++;
        }

        public bool Remove(long pfn)
        {
            var mask = _keys.Length - 1;
            for (var slot = Slot(pfn, mask); _stamps[slot] == _stamp; slot = (slot + 1) & mask)
            {
                if (_keys[slot] == pfn)
                {
                    // The slot stays taken, so that the probes of pfns placed after it still find them.
                    _keys[slot] = Removed;
                    return true;
                }
            }
            return false;
        }

        public void Clear()
        {
            _stamp++;
            _used = 0;
        }

        private static int Slot(long pfn, int mask) => (int)((ulong)(pfn * unchecked((long)0x9E3779B97F4A7C15UL)) >> 32) & mask;

        private void Rehash(int size)
        {
            var (keys, stamps, stamp) = (_keys, _stamps, _stamp);
            _keys = new long[size];
            _stamps = new int[size];
            _stamp = 1;
            _used = 0;
            for (var i = 0; i < keys.Length; i++)
            {
                if (stamps[i] == stamp && keys[i] != Removed)
                {
                    Add(keys[i]);
                }
            }
        }
    }
}
