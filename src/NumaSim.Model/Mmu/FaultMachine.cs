using NumaSim.Model.Lru;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sched;
using NumaSim.Model.Stats;
using NumaSim.Model.Swap;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Mmu;

/// <summary>
/// The fault path in one thread: every CPU's <see cref="FaultHandler"/> over one <see cref="PageAllocatorMachine"/>,
/// with zones answering and IPIs acknowledged at once (a round trip's latency later), and the topology's swap area
/// answering swap-ins (a folio read back joins its node's lruvec). It runs the same handler the CPU actors run, for
/// tests and benchmarks.
/// </summary>
public sealed class FaultMachine
{
    private readonly MachineTopology _topology;
    private readonly LatencyModel _latency;
    private readonly FaultHandler[] _handlers;
    private readonly long[] _clocks;
    private readonly Func<int, ZoneFreeView> _view;
    private readonly List<FaultReport> _reports = [];
    private readonly Lruvec[] _lruvecs;

    public FaultMachine(MachineTopology topology, LatencyModel latency, TlbConfig tlb)
    {
        ArgumentNullException.ThrowIfNull(topology);
        _topology = topology;
        _latency = latency;
        Pages = new PageAllocatorMachine(topology);
        _handlers = new FaultHandler[topology.CpuIds];
        _clocks = new long[topology.CpuIds];
        foreach (var cpu in topology.AllCpus)
        {
            _handlers[cpu] = new FaultHandler(cpu, topology, latency, tlb, Latency, Pages.Cpu(cpu).Events);
        }
        _view = zone => Pages.Zone(zone).View;
        Swap = new SwapSpace(SwapSpace.PagesFor(topology.SwapBytes, topology.Arch.PageSize), topology.Nodes.Count);
        _lruvecs = [.. topology.Nodes.Select(n => new Lruvec(n.Id))];
    }

    /// <summary>The swap area (no slots when the topology has none).</summary>
    public SwapSpace Swap { get; }

    /// <summary>A node's lruvec: the anonymous folios faults mapped and those read back from swap (nothing reclaims here).</summary>
    public Lruvec Lruvec(int node) => _lruvecs[node];

    public PageAllocatorMachine Pages { get; }

    /// <summary>Every CPU's latencies by kind.</summary>
    public LatencyRecorder Latency { get; } = new();

    /// <summary>What the kernel printed, in order.</summary>
    public IReadOnlyList<FaultReport> Reports => _reports;

    public FaultHandler Cpu(int cpu) => _handlers[cpu];

    /// <summary>The CPU's simulated time.</summary>
    public long Now(int cpu) => _clocks[cpu];

    /// <summary>Moves the CPU's clock on to an event due at <paramref name="time"/> (never back: a busy CPU runs it late).</summary>
    public void AdvanceTo(int cpu, long time) => _clocks[cpu] = Math.Max(_clocks[cpu], time);

    /// <summary>Builds the task's mm on this CPU.</summary>
    public FaultOutcome CreateMm(int cpu, IMmTask task) => Run(cpu, _handlers[cpu].CreateMm(task, _clocks[cpu]));

    public long Mmap(int cpu, IMmTask task, long bytes, MemPolicy policy, bool thp = false) =>
        _handlers[cpu].Mmap(task, bytes, policy, thp, ref _clocks[cpu]).Vpn;

    public FaultOutcome Access(int cpu, IMmTask task, long vpn, bool write) => Run(cpu, _handlers[cpu].Access(task, vpn, write, _clocks[cpu]));

    /// <summary>kernel.numa_balancing = <paramref name="mode"/> (1 unless given) on every CPU, with these scan and promotion sysctls.</summary>
    public void EnableNumaBalancing(NumaBalancingSysctls sysctls, NumaBalancingMode mode = NumaBalancingMode.Normal, NumaPromotionSysctls? promotion = null)
    {
        var tiers = Tiering.MemoryTiers.Establish(_topology);
        foreach (var cpu in _topology.AllCpus)
        {
            _handlers[cpu].NumaBalancing = new NumaBalancingContext(mode, sysctls, Pages.Setup, _view)
            {
                Tiers = tiers,
                Promotion = promotion ?? NumaPromotionSysctls.Default,
            };
        }
    }

    /// <summary>
    /// The task's tick on this CPU before its next step: when its NUMA scan is due, task_numa_work runs (its outcome
    /// returned); else null.
    /// </summary>
    public FaultOutcome? NumaTick(int cpu, IMmTask task) =>
        _handlers[cpu].NumaTick(task, _clocks[cpu]) ? Run(cpu, _handlers[cpu].TaskNumaWork(task, _clocks[cpu])) : null;

    public FaultOutcome UnmapAndRemap(int cpu, IMmTask task, long first, long pages, MemPolicy? policy = null, bool thp = false) =>
        Run(cpu, _handlers[cpu].UnmapAndRemap(task, first, pages, policy ?? MemPolicy.Default, thp, _clocks[cpu]));

    /// <summary>migrate_pages(2) by the task on itself, on this CPU: its pages on <paramref name="from"/> go to <paramref name="to"/>.</summary>
    public FaultOutcome MigratePages(int cpu, IMmTask task, IReadOnlyCollection<int> from, IReadOnlyCollection<int> to) =>
        Run(cpu, _handlers[cpu].MigratePages(task, from, to, _clocks[cpu]));

    /// <summary>mbind(2) of every mapping of the task, on this CPU; with <paramref name="move"/>, MPOL_MF_MOVE.</summary>
    public FaultOutcome Mbind(int cpu, IMmTask task, MemPolicy policy, bool move) =>
        Run(cpu, _handlers[cpu].Mbind(task, policy, move, _clocks[cpu]));

    /// <summary>move_pages(2) of every page of the task, on this CPU: the i-th page to <paramref name="nodes"/>[i mod n].</summary>
    public FaultOutcome MovePages(int cpu, IMmTask task, IReadOnlyList<int> nodes) =>
        Run(cpu, _handlers[cpu].MovePages(task, nodes, _clocks[cpu]));

    public FaultOutcome Mprotect(int cpu, IMmTask task, long first, long pages, Protection protection) =>
        Run(cpu, _handlers[cpu].Mprotect(task, first, pages, protection, _clocks[cpu]));

    private FaultOutcome Run(int cpu, FaultStep step)
    {
        var handler = _handlers[cpu];
        var node = _topology.NodeOfCpu(cpu);
        while (true)
        {
            var now = step.Now;
            switch (step.Kind)
            {
                case FaultStepKind.Allocate:
                    var allocator = Pages.Cpu(cpu);
                    var page = allocator.Begin(handler.Request!, _view);
                    while (page.Kind == AllocationStepKind.AskZone)
                    {
                        now += 2 * _latency.ZoneMessage(_topology.DistanceBetween(node, ZoneIndex.Node(page.Zone)));
                        page = allocator.Resume(Pages.Zone(page.Zone).Serve(page.Request), _view);
                    }
                    step = handler.Resume(now, page);
                    break;
                case FaultStepKind.Free:
                    foreach (var block in handler.Blocks)
                    {
                        ForgetFolio(block);
                        Pages.Free(cpu, block.Zone, block.Pfn, block.Order, block.Type);
                        now += _latency.PcpFreeNs;
                    }
                    foreach (var slot in handler.SwapSlots)
                    {
                        Swap.SwapFree(slot);
                    }
                    step = handler.Resume(now);
                    break;
                case FaultStepKind.SwapIn:
                    var (pfn, zone) = SwapIn.Answer(Swap, n => _lruvecs[n], handler.SwapIn, Pages.Cpu(cpu).Events);
                    step = handler.ResumeSwap(now, pfn, zone);
                    break;
                case FaultStepKind.Shootdown:
                    var slowest = 0L;
                    var flush = handler.Flush!;
                    foreach (var target in flush.Targets)
                    {
                        foreach (var vpn in flush.Vpns)
                        {
                            _handlers[target].Invalidate(flush.AddressSpace, vpn);
                        }
                        slowest = Math.Max(slowest, 2 * _latency.Ipi(_topology.DistanceBetween(node, _topology.NodeOfCpu(target))));
                    }
                    step = handler.Resume(now + slowest);
                    break;
                default:
                    _clocks[cpu] = now;
                    foreach (var folio in handler.TakeNewFolios())
                    {
                        _lruvecs[ZoneIndex.Node(folio.Zone)].Add(folio.Pfn, (int)ZoneIndex.Type(folio.Zone), LruType.Anon, folio.Order, LruAdd.Fault);
                    }
                    if (handler.HasReports)
                    {
                        _reports.AddRange(handler.TakeReports());
                    }
                    return handler.Outcome;
            }
            if (handler.HasReports)
            {
                _reports.AddRange(handler.TakeReports());
            }
        }
    }

    // A data page going back leaves its node's LRU (a table page, or a swapped-in page that lost its race, was never on it).
    private void ForgetFolio(FreedBlock block)
    {
        var lruvec = _lruvecs[ZoneIndex.Node(block.Zone)];
        if (!block.PageTable && lruvec.Contains(block.Pfn))
        {
            lruvec.Remove(block.Pfn);
        }
    }
}
