namespace NumaSim.Model.Stats;

/// <summary>
/// The values of one counter family (<see cref="VmEventItem"/>, <see cref="NodeStatItem"/>, ...), an array indexed
/// by its item as the kernel's vm_event_states.event[NR_VM_EVENT_ITEMS]: plain data that crosses layers and
/// messages, folded with <see cref="Plus"/> as per-CPU counters fold into the machine's.
/// </summary>
public sealed record Counters<TItem>(IReadOnlyList<long> Values)
    where TItem : struct, Enum
{
    /// <summary>NR_..._ITEMS: the family's item count.</summary>
    public static int Count { get; } = Enum.GetValues<TItem>().Length;

    public static Counters<TItem> Zero { get; } = new(new long[Count]);

    public long this[TItem item] => Values[Index(item)];

    /// <summary>The item's slot. Items are 0..Count-1 in declaration order; the JIT drops the box for an enum.</summary>
    public static int Index(TItem item) => (int)(object)item;

    public Counters<TItem> Plus(Counters<TItem> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var sum = new long[Count];
        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] = Values[i] + other.Values[i];
        }
        return new Counters<TItem>(sum);
    }

    /// <summary>The family's values with some items set (tests and importers build snapshots this way).</summary>
    public static Counters<TItem> Of(IEnumerable<KeyValuePair<TItem, long>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var values = new long[Count];
        foreach (var (item, value) in items)
        {
            values[Index(item)] += value;
        }
        return new Counters<TItem>(values);
    }

    /// <summary>Equal when every item is (the values, not the list that holds them).</summary>
    public bool Equals(Counters<TItem>? other) => other is not null && Values.SequenceEqual(other.Values);

    public override int GetHashCode() => Values.Aggregate(0, HashCode.Combine);

    /// <summary>
    /// The items summed over every part: one array for the sum, not one per part (a timeline sample folds every
    /// CPU's counters for every zone and node).
    /// </summary>
    public static Counters<TItem> Sum(IEnumerable<Counters<TItem>> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var sum = new long[Count];
        foreach (var part in parts)
        {
            part.AddTo(sum);
        }
        return new Counters<TItem>(sum);
    }

    /// <summary>Adds these values into <paramref name="sum"/>, item by item.</summary>
    public void AddTo(long[] sum)
    {
        ArgumentNullException.ThrowIfNull(sum);
        if (Values is long[] values)
        {
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += values[i];
            }
            return;
        }
        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] += Values[i];
        }
    }
}
