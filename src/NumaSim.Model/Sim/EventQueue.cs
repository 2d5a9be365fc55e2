namespace NumaSim.Model.Sim;

/// <summary>A component's pending events in (time, source, sequence) order, whatever order they arrived in.</summary>
public sealed class EventQueue<T>
{
    private readonly PriorityQueue<T, SimEventKey> _queue = new(KeyComparer.Instance);

    public int Count => _queue.Count;

    public long NextTime => _queue.TryPeek(out _, out var key) ? key.Time : long.MaxValue;

    public void Enqueue(SimEventKey key, T item) => _queue.Enqueue(item, key);

    public bool TryDequeueBefore(long time, out SimEventKey key, out T item)
    {
        if (_queue.TryPeek(out item!, out key) && key.Time < time)
        {
            _queue.Dequeue();
            return true;
        }
        item = default!;
        return false;
    }

    /// <summary>A sealed comparer the JIT can inline, instead of the default one's interface call.</summary>
    private sealed class KeyComparer : IComparer<SimEventKey>
    {
        public static KeyComparer Instance { get; } = new();

        public int Compare(SimEventKey x, SimEventKey y) => x.CompareTo(y);
    }
}
