using System.Runtime.CompilerServices;
using NumaSim.Formats.Trace;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;
using NumaSim.Results;

namespace NumaSim.Replay;

/// <summary>
/// Applies the kmem events of an ftrace trace to the pure model, one at a time in one thread: mm_page_alloc
/// allocates a block of the traced order with the traced gfp_flags under the replay's policy, on the simulated
/// CPU the trace CPU maps onto (<see cref="TraceCpuMap"/>), and remembers traced pfn -> simulated block;
/// mm_page_free frees that block. kmalloc and kmem_cache_alloc allocate from the SLUB model (whose pages come
/// from the same simulated zones) and remember traced ptr -> simulated object; kfree and kmem_cache_free free
/// it. A free of a pfn or ptr the replay never saw allocated (allocated before the trace began) is counted,
/// not an error. Simulated time is the trace time since the first event. Memory held is bounded by the
/// trace's live pages and objects, not by its length.
/// </summary>
public sealed partial class TraceReplayer
{
    private const int MaxErrors = 100;

    private readonly PageAllocatorMachine _machine;
    private readonly TraceCpuMap _cpus;
    private readonly PageRequests _requests;
    private readonly ReplayPageSource _pages;
    private readonly ReplaySlabs _slabs;
    private readonly Dictionary<ulong, SimBlock> _tracedPages = [];
    private readonly Dictionary<ulong, ObjectAddress> _tracedObjects = [];
    private readonly ReplayCounters _n = new();
    private readonly List<SimError> _errors = [];
    private readonly int _nodes;
    private readonly int _maxOrder;
    private bool _started;
    private long _firstNs;

    /// <summary>The dense index of the CPU the event being applied runs on.</summary>
    private int _cpu;

    public TraceReplayer(MachineTopology topology, MemPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(policy);
        Topology = topology;
        Policy = policy;
        _machine = new PageAllocatorMachine(topology);
        _cpus = new TraceCpuMap(topology);
        _nodes = topology.Nodes.Count;
        _maxOrder = topology.Arch.MaxOrder;
        _requests = new PageRequests(policy, _nodes);
        _pages = new ReplayPageSource(_machine, _requests, _cpus, _nodes, fault => Error("slab_pages", fault));
        _slabs = new ReplaySlabs(_pages, _cpus, _machine.Setup);
    }

    public MachineTopology Topology { get; }

    public MemPolicy Policy { get; }

    public TraceCpuMap Cpus => _cpus;

    /// <summary>Trace events applied.</summary>
    public long Events => _n.Events;

    /// <summary>The latest trace time reached, from the first event, in nanoseconds.</summary>
    public long SimulatedNs { get; private set; }

    /// <summary>Objects the slab model holds allocated (large kmalloc blocks included).</summary>
    public long ModelObjects => _slabs.ActiveObjects;

    /// <summary>Model faults the replay met (a free the model refused); the first 100.</summary>
    public IReadOnlyList<SimError> Errors => _errors;

    /// <summary>Page allocations of the trace: replayed, served, failed, freed, served off the CPU's node.</summary>
    public AllocationTotals Allocations =>
        new(_n.PageAllocs, _n.PageAllocs - _n.PageAllocFailures, _n.PageAllocFailures, _n.PageFrees, _n.PageAllocsRemote);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(KmemEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Advance(e.TimestampNs);
        _n.Events++;
        var cpu = _cpu = _cpus.Index(e.Cpu);
        switch (e)
        {
            case PageAllocEvent a:
                PageAlloc(cpu, a);
                break;
            case PageFreeEvent f:
                PageFree(cpu, f);
                break;
            case KmallocEvent k:
                Kmalloc(cpu, k);
                break;
            case KmemCacheAllocEvent c:
                KmemCacheAlloc(cpu, c);
                break;
            case KfreeEvent f:
                ObjectFree(cpu, f.Ptr);
                break;
            case KmemCacheFreeEvent f:
                ObjectFree(cpu, f.Ptr);
                break;
        }
    }

    /// <summary>The simulated machine now: zones, per-CPU lists, counters, slab caches, slab pages per node.</summary>
    public MachineSnapshot Snapshot()
    {
        var nodeStats = new NodeStatDeltas(_nodes);
        for (var n = 0; n < _nodes; n++)
        {
            nodeStats.Add(n, NodeStatItem.NrSlabReclaimable, _pages.ReclaimablePages(n));
            nodeStats.Add(n, NodeStatItem.NrSlabUnreclaimable, _pages.UnreclaimablePages(n));
        }
        return _machine.Snapshot(_slabs.Snapshot(), nodeStats.Snapshot());
    }

    /// <summary>summary.json's `trace` object, with what the parser counted in <paramref name="stats"/>.</summary>
    public TraceReplaySummary Summary(TraceStats stats, string source)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(source);
        return new TraceReplaySummary
        {
            Source = source,
            Policy = Policy.ToString(),
            CpuMap = _cpus.Rule,
            Lines = stats.Lines,
            Parsed = stats.Parsed,
            Skipped = stats.Skipped,
            Malformed = stats.Malformed,
            LostEvents = stats.LostEvents,
            Unrecognized = stats.Unrecognized,
            ByEvent = stats.ByEvent,
            TracedNs = SimulatedNs,
            PageAllocs = _n.PageAllocs,
            PageAllocFailures = _n.PageAllocFailures,
            PageAllocsFailedInTrace = _n.PageAllocsFailedInTrace,
            PageFrees = _n.PageFrees,
            PageFreeOrderMismatches = _n.PageFreeOrderMismatches,
            ObjectAllocs = _n.ObjectAllocs,
            ObjectAllocFailures = _n.ObjectAllocFailures,
            ObjectAllocsFailedInTrace = _n.ObjectAllocsFailedInTrace,
            ObjectFrees = _n.ObjectFrees,
            NullFrees = _n.NullFrees,
            PageFreesUnmatched = _n.PageFreesUnmatched,
            ObjectFreesUnmatched = _n.ObjectFreesUnmatched,
            AllocsOverLive = _n.AllocsOverLive,
            CachesCreated = _slabs.CachesCreated,
            CacheCreateFailures = _slabs.CacheCreateFailures,
            LivePages = _tracedPages.Values.Sum(b => b.Zone >= 0 ? 1L << b.Order : 0),
            LiveObjects = _tracedObjects.Values.LongCount(a => !a.IsNull),
            Fidelity = _n.Fidelity,
        };
    }

    private void Advance(long timestampNs)
    {
        if (!_started)
        {
            _started = true;
            _firstNs = timestampNs;
        }
        var ns = timestampNs - _firstNs;
        if (ns > SimulatedNs)
        {
            SimulatedNs = ns;
        }
    }

    private void Error(string kind, string message)
    {
        if (_errors.Count < MaxErrors)
        {
            _errors.Add(new SimError(kind, message, _cpus.CpuId(_cpu), SimulatedNs));
        }
    }
}
