using Akka.Actor;
using NumaSim.Actors.Engine;
using NumaSim.Actors.Filemap;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Reclaim;
using NumaSim.Model.Filemap;
using NumaSim.Model.Kernel;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Model.Slab;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Kernel;
using NumaSim.Workloads.Scenarios;
using NumaSim.Results;

namespace NumaSim.Actors.Slabs;

/// <summary>
/// One CPU's kmalloc / kmem_cache front-end: its SLUB caches (the kmalloc family and the
/// scenario's own), the CPU's kernel stream and script steps, and its context (a task or an
/// interrupt). Slab pages come from the page allocator through this actor's own per-CPU lists;
/// when they need a zone, the call waits for the answer in simulated time and then runs again.
/// Each front-end keeps its own slabs: an object is freed by the CPU that allocated it, and the
/// node partial lists are per CPU rather than shared by the node's CPUs.
/// </summary>
public sealed partial class SlabActor : CpuSideActor
{
    private readonly int _cpu;
    private readonly int _node;
    private readonly MachineTopology _topology;
    private readonly LatencyModel _latency;
    private readonly KernelWorkload _kernel;
    /// <summary>As many errors as summary.json keeps.</summary>
    private const int MaxErrors = 1000;

    private readonly LatencyRecorder _recorder = new();
    private readonly KernelStream? _stream;
    private readonly SimRandom _random;
    private readonly Dictionary<string, LiveObject?> _named = new(StringComparer.Ordinal);
    private readonly string? _panic;
    private readonly SlabAllocatorOptions _options;

    private CpuContext _context;
    private long _now;
    private long _issued;
    private int _scriptPending;
    private long _allocations, _failed, _frees, _sleepingInAtomic, _debugReports;
    private readonly bool _hasOomKiller;

    /// <summary>Xarray nodes the page cache asked for and not allocated yet.</summary>
    private int _xaNodesPending;

    public SlabActor(int cpu, Scenario scenario, PageAllocatorSetup setup)
        : base(ComponentIds.Slab(cpu), cpu, scenario.UsesQuantumWindows, scenario.Latency, setup, MaxErrors, scenario.Sysctl.ZoneReclaimMode)
    {
        _cpu = cpu;
        _hasOomKiller = OomKillerActor.Needed(scenario);
        _topology = setup.Topology;
        _node = _topology.NodeOfCpu(cpu);
        _latency = scenario.Latency;
        _kernel = scenario.Kernel;
        _pagesByUse = new long[_topology.Nodes.Count, Enum.GetValues<PageUse>().Length];
        var debug = SlubDebugOptions.Parse(_kernel.SlubDebug);
        SlabAllocatorOptions.TryParseKind(_kernel.Allocator, out var kind);
        // slab.debug switches SLAB's CONFIG_DEBUG_SLAB on too; SLOB has no debugging.
        _options = SlabAllocatorOptions.For(kind) with { DebugSlab = _kernel.SlubDebug is not null };
        IReadOnlyList<int> cpuToNode = [.. Enumerable.Range(0, _topology.CpuIds).Select(c => Math.Max(0, _topology.NodeOfCpu(c)))];
        _family = new KmallocFamily(_pages, cpuToNode, _topology.Nodes.Count, _topology.Arch.PageSize, debug, allocator: _options);
        _panic = CreateCaches(debug, cpuToNode, PageCacheActor.Needed(scenario));

        _stream = _kernel.StreamOf(cpu);
        _context = _stream?.Context ?? CpuContext.Process;
        _random = new SimRandom(scenario.Seed, ComponentIds.SlabRandomStream(cpu));
        if (_stream is { Operations: > 0 })
        {
            Schedule(_random.Exponential(_stream.MeanThinkTimeNs), KernelAllocDue.Instance);
        }
        foreach (var (index, step) in _kernel.ScriptOf(cpu))
        {
            Schedule(step.AtNs, new ScriptDue(index));
            _scriptPending++;
        }
    }

    protected override object State() => CollectState();

    protected override TimelineShare Timeline() => TimelineShare.Of(_now, _topology.Nodes.Count, NodeStats().Get, item => Allocator.Events[item]);

    protected override bool ReceiveMore(object message)
    {
        if (message is not PeekSlabs)
        {
            return false;
        }
        Sender.Tell(new SlabPeek(_cpu, SlabinfoRows()));
        return true;
    }

    public static Props Props(int cpu, Scenario scenario, PageAllocatorSetup setup) =>
        Akka.Actor.Props.Create(() => new SlabActor(cpu, scenario, setup));

    protected override long Now
    {
        get => _now;
        set => _now = value;
    }

    /// <summary>A kernel call in progress holds everything after it, through its zone waits, reclaim waits and flushes.</summary>
    protected override bool Busy => _call is not null;

    protected override string? Panic => _panic;

    protected override bool WorkloadFinished =>
        (_stream is null || _issued >= _stream.Operations) && _scriptPending == 0 && _call is null && _xaNodesPending == 0;

    /// <summary>The process name the kernel's messages give: the CPU's worker, or the idle task an interrupt hit.</summary>
    private string Comm => _context.IsAtomic() ? $"swapper/{_cpu}" : $"kworker/{_cpu}:1";

    /// <summary>A kernel allocation out of memory asks the OOM killer too, which kills a task (the run's, if it has any).</summary>
    protected override bool HasOomKiller => _hasOomKiller;

    protected override void Do(ISimPayload work)
    {
        switch (work)
        {
            case KernelAllocDue:
                StartStreamCall();
                break;
            case KernelFreeDue free:
                Start(FreeCall(free.Object));
                break;
            case ScriptDue due:
                _scriptPending--;
                Start(ScriptCall(_kernel.Script[due.Index]));
                break;
            case XaNodeAlloc alloc:
                _xaNodesPending += alloc.Count;
                NextXaNode();
                break;
        }
    }

    private string? CreateCaches(SlubDebugOptions debug, IReadOnlyList<int> cpuToNode, bool pageCache)
    {
        // Every front-end builds the same caches; the boot CPU alone reports what kmem_cache_create printed.
        var reports = _cpu == _topology.AllCpus.Min();
        IEnumerable<SlabCacheSpec> specs = _kernel.Caches;
        if (pageCache)
        {
            // radix_tree_init makes it at boot, before any cache of the scenario.
            specs = specs.Prepend(new SlabCacheSpec(XarrayNodes.CacheName, XarrayNodes.NodeSize, 0, SlabFlags.Reclaimable, Ctor: true));
        }
        foreach (var spec in specs)
        {
            var created = SlabAllocatorFactory.CreateCache(
                _options, spec.Name, spec.Size, spec.Align, spec.Flags, spec.Ctor, _topology.CpuCount, _topology.Nodes.Count, _topology.Arch.PageSize, debug);
            if (created.Cache is { } cache)
            {
                _caches[spec.Name] = SlabAllocatorFactory.Create(cache, _pages, cpuToNode, null, _family.PageMap, _family.Taint, _options);
                _cacheOrder.Add(spec.Name);
                continue;
            }
            if (created.Panics)
            {
                return $"Kernel panic - not syncing: {created.Message}";
            }
            if (reports)
            {
                AddError(new SimError("kmem_cache_create", created.Message!, _cpu, 0) { Cache = spec.Name });
            }
        }
        return null;
    }

    private List<SlabCacheSnapshot> SlabinfoRows()
    {
        var rows = new List<SlabCacheSnapshot>();
        // slabinfo lists the newest cache first: the scenario's caches, then the kmalloc caches made at boot.
        for (var i = _cacheOrder.Count - 1; i >= 0; i--)
        {
            if (!_caches[_cacheOrder[i]].IsDestroyed)
            {
                rows.Add(_caches[_cacheOrder[i]].Snapshot());
            }
        }
        foreach (var prefix in KmallocCaches.SlabinfoPrefixes)
        {
            foreach (var size in KmallocCaches.SlabinfoSizes)
            {
                if (_family.Cache(prefix + KmallocCaches.SizeName(size)) is { } cache)
                {
                    rows.Add(cache.Snapshot());
                }
            }
        }
        return rows;
    }

    /// <summary>The node_stat_item changes of the pages this front-end allocated: slab pages and page-table pages.</summary>
    private NodeStatDeltas NodeStats()
    {
        var nodeStats = new NodeStatDeltas(_topology.Nodes.Count);
        for (var n = 0; n < _topology.Nodes.Count; n++)
        {
            nodeStats.Add(n, NodeStatItem.NrSlabReclaimable, _pagesByUse[n, (int)PageUse.SlabReclaimable]);
            nodeStats.Add(n, NodeStatItem.NrSlabUnreclaimable, _pagesByUse[n, (int)PageUse.SlabUnreclaimable]);
            nodeStats.Add(n, NodeStatItem.NrPageTablePages, _pagesByUse[n, (int)PageUse.PageTable]);
        }
        return nodeStats;
    }

    private SlabState CollectState()
    {
        var rows = SlabinfoRows();
        var ctorCalls = _caches.Values.Sum(c => c.CtorCalls) + _family.Caches.Sum(c => c.CtorCalls);
        var nodeStats = NodeStats();
        return new SlabState(
            _cpu,
            Allocator.Report(),
            rows,
            LatencySnapshot.Of(_recorder),
            new KernelTotals(_allocations, _failed, _frees, DirectReclaimPasses, ctorCalls, _sleepingInAtomic, _debugReports),
            nodeStats.Snapshot(),
            KeptErrors,
            Operations,
            _now)
        {
            Vmalloc = VmallocState(),
            Ipis = IpisSent,
        };
    }
}
