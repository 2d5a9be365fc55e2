using NumaSim.Model.Topology;

namespace NumaSim.Model.Stats;

/// <summary>vm_event_item counters one CPU keeps (pgalloc_*, pgfree, allocstall_*), by kernel name.</summary>
public sealed class VmEventCounters
{
    private readonly long[] _pgalloc = new long[ZoneTypes.Count];
    private readonly long[] _allocstall = new long[ZoneTypes.Count];

    public long PgFree { get; private set; }

    /// <summary>Faults that reached the handler (handle_mm_fault): every demand fault.</summary>
    public long PgFault { get; private set; }

    public void CountFault() => PgFault++;

    public long ThpFaultAlloc { get; private set; }

    public long ThpFaultFallback { get; private set; }

    public void CountThpFault(bool allocated)
    {
        if (allocated)
        {
            ThpFaultAlloc++;
        }
        else
        {
            ThpFaultFallback++;
        }
    }

    public void CountAlloc(ZoneType zone, int order) => _pgalloc[(int)zone] += 1L << order;

    public void CountFree(int order) => PgFree += 1L << order;

    public void CountAllocStall(ZoneType highestZone) => _allocstall[(int)highestZone]++;

    public void AddTo(IDictionary<string, long> events)
    {
        foreach (var zone in ZoneTypes.All)
        {
            var name = zone.KernelName().ToLowerInvariant();
            Add(events, "pgalloc_" + name, _pgalloc[(int)zone]);
            Add(events, "allocstall_" + name, _allocstall[(int)zone]);
        }
        Add(events, "pgfree", PgFree);
        Add(events, "pgfault", PgFault);
        Add(events, "pgmajfault", 0);
        Add(events, "thp_fault_alloc", ThpFaultAlloc);
        Add(events, "thp_fault_fallback", ThpFaultFallback);
    }

    private static void Add(IDictionary<string, long> events, string name, long value) =>
        events[name] = (events.TryGetValue(name, out var v) ? v : 0) + value;
}
