using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Mmu;

/// <summary>
/// One CPU's memory-management unit and its fault handler (mm/memory.c), as a step machine: every access looks in
/// the TLB; a miss walks the page table (one memory access per level, priced by where that table page lives); a
/// not-present page is a demand fault that allocates tables and the page by the mapping's policy; a forbidden
/// access is a segmentation fault. Where the procedure needs a page, frees or a shootdown, it stops with a
/// <see cref="FaultStep"/> saying so, and the driver (the CPU actor, or <see cref="FaultMachine"/>) resumes it with
/// the answer. A CPU runs one operation at a time (it blocks while it waits), so the operation's state lives in
/// fields rather than in closures per fault on the hot path. One fault's life across actors: docs/architecture.md
/// section 3.
/// </summary>
public sealed partial class FaultHandler
{
    private readonly int _cpu;
    private readonly int _node;
    private readonly MachineTopology _topology;
    private readonly LatencyModel _latency;
    private readonly AccessLatency _access;
    private readonly LatencyRecorder _recorder;
    private readonly VmEventCounters _events;
    private readonly Tlb _tlb;
    private readonly Tlb _hugeTlb;
    private readonly int _hugeShift;
    private readonly bool _softwareRefill;
    private readonly List<int> _walkNodes = [];
    private Vma? _vma;
    private int _walkMissingTables;
    private readonly List<FreedBlock> _frees = [];
    private readonly List<FaultReport> _reports = [];
    private readonly LatencyRecorder.Counter _tlbHitLocal, _tlbHitRemote, _walk, _fault;

    // The operation in flight: its task, address, start, and what it waits for.
    private long _now;
    private IMmTask? _task;
    private long _vpn, _start;
    private bool _write;
    private State _state;

    public FaultHandler(int cpu, MachineTopology topology, LatencyModel latency, TlbConfig tlb, LatencyRecorder recorder, VmEventCounters events)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(tlb);
        ArgumentNullException.ThrowIfNull(recorder);
        _cpu = cpu;
        _topology = topology;
        _node = topology.NodeOfCpu(cpu);
        _latency = latency;
        _access = new AccessLatency(cpu, topology, latency);
        _recorder = recorder;
        _events = events;
        _tlb = new Tlb(tlb.Entries, tlb.Ways);
        _hugeTlb = new Tlb(tlb.HugeEntries, tlb.HugeWays);
        _hugeShift = topology.Arch.Paging.BitsPerLevel;
        _softwareRefill = tlb.SoftwareRefill;
        _tlbHitLocal = recorder.For("tlb_hit_local");
        _tlbHitRemote = recorder.For("tlb_hit_remote");
        _walk = recorder.For("walk");
        _fault = recorder.For("fault");
        NodeStats = new NodeStatCounters(topology.Nodes.Count);
    }

    /// <summary>Page-table and anonymous pages this CPU's faults and unmaps changed, by node.</summary>
    public NodeStatCounters NodeStats { get; }

    public long TlbHits { get; private set; }

    public long TlbMisses { get; private set; }

    public long TlbEvictions => _tlb.Evictions + _hugeTlb.Evictions;

    public long Faults { get; private set; }

    public long Segfaults { get; private set; }

    /// <summary>The page the last Allocate step asks for.</summary>
    public AllocationRequest? Request { get; private set; }

    /// <summary>The blocks the last Free step gives back, in order (the list is reused).</summary>
    public IReadOnlyList<FreedBlock> Blocks => _frees;

    /// <summary>The IPIs the last Shootdown step asks for.</summary>
    public ShootdownRequest? Flush { get; private set; }

    /// <summary>How the last operation ended (after a Done step).</summary>
    public FaultOutcome Outcome { get; private set; }

    /// <summary>The task of the operation in flight (or the last one).</summary>
    public IMmTask? Task => _task;

    /// <summary>
    /// get_vma_policy: the mapping's own policy (mbind), or else the task's policy as it is at the fault, not as it was
    /// at mmap: a set_mempolicy after the mapping governs its later faults, swap-ins and NUMA hinting faults.
    /// </summary>
    private MemPolicy PolicyOf(Vma vma) => vma.Policy.Mode == MemPolicyMode.Default ? _task!.Policy : vma.Policy;

    /// <summary>Whether the kernel printed something the driver has not taken yet.</summary>
    public bool HasReports { get; private set; }

    /// <summary>What the kernel printed since the last call, in order; the list is reused.</summary>
    public IReadOnlyList<FaultReport> TakeReports()
    {
        var taken = _reports.ToArray();
        _reports.Clear();
        HasReports = false;
        return taken;
    }

    /// <summary>A load or store by the task at vpn, at time now.</summary>
    public FaultStep Access(IMmTask task, long vpn, bool write, long now)
    {
        ArgumentNullException.ThrowIfNull(task);
        _task = task;
        _vpn = vpn;
        _write = write;
        _start = now;
        _now = now + _latency.TlbHitNs;
        var mm = task.Mm!;
        // Both TLBs are looked up at once, as hardware does.
        if ((_tlb.TryLookup(mm.Id, vpn, out var cached) || _hugeTlb.TryLookup(mm.Id, vpn >> _hugeShift, out cached)) && (!write || cached.Writable))
        {
            TlbHits++;
            var distance = _topology.DistanceBetween(_node, cached.Node);
            _now += _access.Price(cached.Node, write, _now);
            (distance == MachineTopology.LocalDistance ? _tlbHitLocal : _tlbHitRemote).Record(_now - _start);
            return Done(FaultResult.TlbHit, cached.Node, cached.Pfn, cached.Huge ? mm.Mode.HugeOrder : 0, Gfp.None, cached.Huge);
        }
        TlbMisses++;
        if (_softwareRefill)
        {
            _now += _latency.TlbRefillTrapNs;
        }
        // One walk gives the cost, the entry (present, swap or empty) and the tables a demand fault would add.
        Span<int> walked = stackalloc int[mm.Mode.Levels];
        var levels = mm.PageTable.Walk(vpn, walked, out var leaf, out _walkMissingTables);
        for (var i = 0; i < levels; i++)
        {
            _now += _access.Price(walked[i], write: false, _now);
        }
        // The task waits in its fault, so its mappings cannot change until the fault is done.
        _vma = mm.Find(vpn);
        switch (AddressSpace.Classify(_vma, write, leaf))
        {
            case FaultKind.None:
                var pte = leaf;
                if (pte.Huge)
                {
                    _hugeTlb.Insert(mm.Id, vpn >> _hugeShift, pte);
                }
                else
                {
                    _tlb.Insert(mm.Id, vpn, pte);
                }
                _now += _access.Price(pte.Node, write, _now);
                _walk.Record(_now - _start);
                return Done(FaultResult.Walk, pte.Node, pte.Pfn, pte.Huge ? mm.Mode.HugeOrder : 0, Gfp.None, pte.Huge);
            case FaultKind.NotPresent:
                return DemandFault(write);
            case FaultKind.WriteProtect:
                return CopyOnWrite();
            case FaultKind.Swap:
                return SwapFault(write);
            case FaultKind.NumaHint:
                return NumaHintFault(leaf);
            default:
                _now += _latency.FaultEntryNs;
                Segfaults++;
                Report("segfault", $"task {task.Id}: {(write ? "write" : "read")} at 0x{vpn << mm.Mode.PageShift:x} ({(_vma is null ? "no mapping" : "access not permitted")})");
                _recorder.Record("segfault", _now - _start);
                return Done(FaultResult.Segfault, -1, -1, 0, Gfp.None, false);
        }
    }

    /// <summary>The page the last Allocate step asked for, or none (step.Kind is not Allocated).</summary>
    public FaultStep Resume(long now, AllocationStep page)
    {
        _now = now;
        return _state switch
        {
            State.PgdPage => OnPgdPage(page),
            State.TablePage => OnTablePage(page),
            State.DataPage => OnDataPage(page),
            State.DepositTable => OnDepositTable(page),
            State.CowPage => OnCowPage(page),
            State.SwapPage => OnSwapPage(page),
            State.MigratePage => OnMigratePage(page),
            _ => throw new InvalidOperationException($"the fault handler waits for {_state}, not a page"),
        };
    }

    /// <summary>The last Free step's blocks are freed, or the last Shootdown step's acknowledgements are in.</summary>
    public FaultStep Resume(long now)
    {
        _now = now;
        _swapFrees.Clear();
        return Continue(_state);
    }

    /// <summary>invlpg: the page's entry in whichever TLB holds it (4 KiB or huge).</summary>
    public bool Invalidate(int asid, long vpn) =>
        _tlb.Invalidate(asid, vpn) | _hugeTlb.Invalidate(asid, vpn >> _hugeShift);

    private FaultStep Continue(State next) => next switch
    {
        State.RetryBase => MapPage(huge: false, zeroPage: false),
        State.CowFlushed => OnCowFlushed(),
        State.OomFreed => OnOomTablesFreed(),
        State.OomFlushed => OnOomFlushed(),
        State.OomDone => OnOomDone(),
        State.MunmapFlushed => OnMunmapFlushed(),
        State.MunmapFreed => OnMunmapFreed(),
        State.MprotectFlushed => OnMprotectFlushed(),
        State.SwapMapAfterFree => OnSwapRaceFreed(),
        State.NumaScanFlushed => OnNumaScanFlushed(),
        State.MigrateFlushed or State.MigrateFreed => OnMigrateStep(),
        _ => throw new InvalidOperationException($"the fault handler waits for {next}, not a free or a flush"),
    };

    /// <summary>A page for a task (table or data): the per-CPU fast path's cost, then the allocator.</summary>
    private FaultStep AllocateTaskPage(AllocationRequest request, State then)
    {
        _now += _latency.PcpAllocNs;
        _state = then;
        Request = request;
        return new FaultStep(FaultStepKind.Allocate, _now);
    }

    /// <summary>The blocks gathered in _frees go back; with none, the procedure goes straight on.</summary>
    private FaultStep FreeThen(State then)
    {
        if (_frees.Count == 0 && _swapFrees.Count == 0)
        {
            return Continue(then);
        }
        _state = then;
        return new FaultStep(FaultStepKind.Free, _now);
    }

    private void FreeLater(int node, long pfn, int order, MigrateType type, bool pageTable) =>
        _frees.Add(new FreedBlock(ZoneOfPfn(node, pfn), pfn, order, type, pageTable));

    /// <summary>
    /// flush_tlb_mm_range: this CPU's entries go at once; every other CPU that may cache the address space's entries
    /// gets an IPI, and the procedure goes on when all have answered.
    /// </summary>
    private FaultStep Shootdown(IReadOnlyList<long> pages, State then)
    {
        var mm = _task!.Mm!;
        foreach (var vpn in pages)
        {
            Invalidate(mm.Id, vpn);
        }
        if (pages.Count == 0 || !mm.MayBeCachedBeyond(_cpu))
        {
            return Continue(then);
        }
        var targets = mm.CpusThatMayCache.Where(c => c != _cpu).ToList();
        _state = then;
        Flush = new ShootdownRequest(mm.Id, [.. pages], targets);
        return new FaultStep(FaultStepKind.Shootdown, _now);
    }

    private FaultStep Done(FaultResult result, int node, long pfn, int order, Gfp gfp, bool huge)
    {
        _state = State.Idle;
        Outcome = new FaultOutcome(result, _start, _vpn, node, pfn, order, gfp, huge);
        return new FaultStep(FaultStepKind.Done, _now);
    }

    private void Report(string kind, string message)
    {
        _reports.Add(new FaultReport(kind, message, _now));
        HasReports = true;
    }

    private int ZoneOfPfn(int node, long pfn) => _topology.ZoneOfPfn(node, pfn);

    private enum State
    {
        Idle,
        PgdPage,
        TablePage,
        DataPage,
        DepositTable,
        RetryBase,
        CowPage,
        CowFlushed,
        OomFreed,
        OomFlushed,
        OomDone,
        MunmapFlushed,
        MunmapFreed,
        MprotectFlushed,
        SwapLookup,
        SwapPage,
        SwapRead,
        SwapMapAfterFree,
        NumaScanFlushed,
        MigratePage,
        MigrateFlushed,
        MigrateFreed,
    }
}
