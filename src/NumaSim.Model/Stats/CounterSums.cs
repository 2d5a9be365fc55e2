namespace NumaSim.Model.Stats;

/// <summary>Folding named counters, as per-CPU counters fold into the machine's.</summary>
public static class CounterSums
{
    public static void Add(IDictionary<string, long> into, string name, long value) =>
        into[name] = (into.TryGetValue(name, out var v) ? v : 0) + value;

    public static void AddAll(IDictionary<string, long> into, IEnumerable<KeyValuePair<string, long>> counters)
    {
        foreach (var (name, value) in counters)
        {
            Add(into, name, value);
        }
    }
}
