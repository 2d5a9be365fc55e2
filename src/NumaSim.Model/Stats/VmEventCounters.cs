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

    /// <summary>Tasks the OOM killer killed (oom_kill).</summary>
    public long OomKill { get; private set; }

    public void CountOomKill() => OomKill++;

    public void CountAlloc(ZoneType zone, int order) => _pgalloc[(int)zone] += 1L << order;

    public void CountFree(int order) => PgFree += 1L << order;

    public void CountAllocStall(ZoneType highestZone) => _allocstall[(int)highestZone]++;

    /// <summary>allocstall_* over every zone: direct reclaim entered.</summary>
    public long AllocStalls() => _allocstall.Sum();

    public void AddTo(IDictionary<string, long> events)
    {
        foreach (var zone in ZoneTypes.All)
        {
            var name = zone.KernelName().ToLowerInvariant();
            CounterSums.Add(events, "pgalloc_" + name, _pgalloc[(int)zone]);
            CounterSums.Add(events, "allocstall_" + name, _allocstall[(int)zone]);
        }
        CounterSums.Add(events, "pgfree", PgFree);
        CounterSums.Add(events, "pgfault", PgFault);
        CounterSums.Add(events, "pgmajfault", 0);
        CounterSums.Add(events, "thp_fault_alloc", ThpFaultAlloc);
        CounterSums.Add(events, "thp_fault_fallback", ThpFaultFallback);
        CounterSums.Add(events, "oom_kill", OomKill);
    }

}
