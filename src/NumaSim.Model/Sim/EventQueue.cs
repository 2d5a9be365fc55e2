namespace NumaSim.Model.Sim;

/// <summary>
/// A component's pending events in (time, source, sequence) order, whatever order they arrived in: a 4-ary min-heap
/// over an array. It is the framework's PriorityQueue algorithm (same arity, same sift up and down), written out here
/// because every event of every component goes through it: PriorityQueue over SimEventKey is a framework generic over
/// one of our structs, which ReadyToRun cannot precompile, so a cold run executed it as unoptimised code. Keeping the
/// algorithm keeps the order of equal keys, should two ever compare equal.
/// </summary>
public sealed class EventQueue<T>
{
    private const int Log2Arity = 2;
    private const int Arity = 1 << Log2Arity;

    private Entry[] _heap = new Entry[16];
    private int _count;

    public int Count => _count;

    public long NextTime => _count > 0 ? _heap[0].Key.Time : long.MaxValue;

    public void Enqueue(SimEventKey key, T item)
    {
        if (_count == _heap.Length)
        {
            var bigger = new Entry[_heap.Length * 2];
            Array.Copy(_heap, bigger, _count);
            _heap = bigger;
        }
        MoveUp(new Entry(key, item), _count++);
    }

    public bool TryDequeueBefore(long time, out SimEventKey key, out T item)
    {
        if (_count > 0 && _heap[0].Key.Time < time)
        {
            key = _heap[0].Key;
            item = _heap[0].Item;
            var last = --_count;
            if (last > 0)
            {
                MoveDown(_heap[last], 0);
            }
            _heap[last] = default;
            return true;
        }
        key = default;
        item = default!;
        return false;
    }

    private void MoveUp(Entry entry, int index)
    {
        var heap = _heap;
        while (index > 0)
        {
            var parent = (index - 1) >> Log2Arity;
            if (Compare(entry.Key, heap[parent].Key) >= 0)
            {
                break;
            }
            heap[index] = heap[parent];
            index = parent;
        }
        heap[index] = entry;
    }

    private void MoveDown(Entry entry, int index)
    {
        var heap = _heap;
        var size = _count;
        int child;
        while ((child = (index << Log2Arity) + 1) < size)
        {
            var smallest = child;
            var bound = Math.Min(child + Arity, size);
            while (++child < bound)
            {
                if (Compare(heap[child].Key, heap[smallest].Key) < 0)
                {
                    smallest = child;
                }
            }
            if (Compare(entry.Key, heap[smallest].Key) <= 0)
            {
                break;
            }
            heap[index] = heap[smallest];
            index = smallest;
        }
        heap[index] = entry;
    }

    // SimEventKey.CompareTo with the fields compared in place: long.CompareTo lives in the framework, and a call
    // across that boundary is not inlined into ReadyToRun code.
    private static int Compare(in SimEventKey a, in SimEventKey b)
    {
        if (a.Time != b.Time)
        {
            return a.Time < b.Time ? -1 : 1;
        }
        if (a.Source != b.Source)
        {
            return a.Source < b.Source ? -1 : 1;
        }
        return a.Sequence == b.Sequence ? 0 : a.Sequence < b.Sequence ? -1 : 1;
    }

    private readonly struct Entry(SimEventKey key, T item)
    {
        public readonly SimEventKey Key = key;
        public readonly T Item = item;
    }
}
