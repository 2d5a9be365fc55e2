using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Sched;

/// <summary>
/// Automatic NUMA balancing for one task alone in its mm (kernel/sched/fair.c): the task's numa_* fields (scan
/// period, node_stamp, scan sequence, preferred node, fault statistics) and its mm's (next scan, scan offset and
/// sequence, the per-VMA numab_state), with the tick that starts a scan (task_tick_numa), the scan's walk over
/// the VMAs (task_numa_work; the PTEs themselves are marked by the caller's change_prot_numa), the hinting fault's
/// bookkeeping (task_numa_fault, task_numa_placement) and the two-stage filter (should_numa_migrate_memory). Times
/// are simulated nanoseconds; the task's runtime is the time since its mm was made, as a task that never sleeps
/// (the model's tasks run whenever they have a step). A task alone has no numa_group, every fault it takes is
/// private, and it is never moved to its preferred node (the guest pins it with sched_setaffinity).
/// </summary>
public sealed class TaskNumaBalancing
{
    /// <summary>TICK_NSEC at the reference kernel's HZ of 250.</summary>
    public const long TickNs = 4_000_000;

    /// <summary>HZ: jiffies in a second.</summary>
    public const long Hz = 1_000_000_000 / TickNs;

    public const int NoNode = -1;

    private const long NsPerMs = 1_000_000;

    private readonly NumaBalancingSysctls _sysctls;
    private readonly int _pageShift;
    private readonly long _start;
    private readonly int _nodes;
    private readonly long[] _locality = new long[3];
    private readonly Dictionary<long, VmaNumab> _vmaState = [];
    private readonly Dictionary<long, (long Pfn, int Cpu)> _lastCpupid = [];
    private readonly Dictionary<long, (long Pfn, long Ms)> _accessTime = [];
    private long[]? _mem, _memBuf;
    private long _migrateRetry;

    /// <summary>A new mm at <paramref name="start"/> (exec: mm_alloc leaves numa_next_scan 0; fork set the task's period to scan_delay).</summary>
    public TaskNumaBalancing(NumaBalancingSysctls sysctls, int nodes, int pageShift, long start)
    {
        ArgumentNullException.ThrowIfNull(sysctls);
        _sysctls = sysctls;
        _nodes = nodes;
        _pageShift = pageShift;
        _start = start;
        ScanPeriodMs = sysctls.ScanDelayMs;
    }

    /// <summary>p->numa_scan_period, in ms.</summary>
    public int ScanPeriodMs { get; private set; }

    /// <summary>p->numa_scan_period_max, in ms (0 until the first placement).</summary>
    public int ScanPeriodMaxMs { get; private set; }

    /// <summary>p->node_stamp: the runtime (ns) at which the next tick may queue the scan.</summary>
    public long NodeStamp { get; private set; }

    /// <summary>p->numa_scan_seq: the mm's scan sequence the task last placed itself at.</summary>
    public int TaskScanSeq { get; private set; }

    /// <summary>mm->numa_scan_seq: how many times the scan has wrapped round the address space.</summary>
    public int ScanSeq { get; private set; }

    /// <summary>mm->numa_next_scan (ns; 0 until the first task_numa_work).</summary>
    public long NextScan { get; private set; }

    /// <summary>mm->numa_scan_offset: where the next scan starts (a virtual page).</summary>
    public long ScanOffset { get; private set; }

    /// <summary>p->numa_preferred_nid.</summary>
    public int PreferredNid { get; private set; } = NoNode;

    /// <summary>p->numa_pages_migrated.</summary>
    public long PagesMigrated { get; private set; }

    /// <summary>
    /// task_tick_numa at the last scheduler tick at or before <paramref name="now"/>: whether the scan's task work is
    /// queued (it runs before the task goes on).
    /// </summary>
    public bool Tick(long now, long rssPages)
    {
        var jiffies = now / TickNs * TickNs;
        var runtime = jiffies - _start;
        var period = ScanPeriodMs * NsPerMs;
        if (runtime <= NodeStamp + period)
        {
            return false;
        }
        if (NodeStamp == 0)
        {
            ScanPeriodMs = NumaScanPeriod.Start(_sysctls, _pageShift, rssPages);
        }
        NodeStamp += period;
        return jiffies >= NextScan;
    }

    /// <summary>
    /// task_numa_work: at most scan_size of pages with present PTEs, and 8 times that of address space, from where
    /// the last scan stopped, VMA by VMA. <paramref name="changeProtNuma"/> marks [start, end) PROT_NONE and returns
    /// how many entries it changed. Returns whether a scan ran.
    /// </summary>
    public bool Work(long now, long rssPages, IReadOnlyList<Vma> vmas, MemPolicy taskPolicy, long hugePages, Func<Vma, long, long, long> changeProtNuma)
    {
        ArgumentNullException.ThrowIfNull(vmas);
        ArgumentNullException.ThrowIfNull(changeProtNuma);
        var jiffies = now / TickNs * TickNs;
        if (NextScan == 0)
        {
            NextScan = jiffies + (_sysctls.ScanDelayMs * NsPerMs);
        }
        if (jiffies < NextScan)
        {
            return false;
        }
        NextScan = jiffies + (ScanPeriodMs * NsPerMs);
        NodeStamp += 2 * TickNs;
        var pages = (long)_sysctls.ScanSizeMb << (20 - _pageShift);
        var virtpages = pages * 8;
        if (pages == 0)
        {
            return true;
        }
        var skipped = false;
        var forced = false;
        while (true)
        {
            var start = ScanOffset;
            var index = FirstVmaEndingAfter(vmas, start);
            if (index == vmas.Count)
            {
                ResetScan();
                start = 0;
                index = 0;
            }
            for (; index < vmas.Count; index++)
            {
                var vma = vmas[index];
                if (!PolicyMof(vma, taskPolicy) || vma.Protection == Protection.None)
                {
                    continue;
                }
                var state = StateOf(vma, jiffies);
                if (ScanSeq != 0 && jiffies < state.NextScan)
                {
                    continue;
                }
                if (ScanSeq != 0 && jiffies > state.PidsActiveReset)
                {
                    state.PidsActiveReset += 4 * _sysctls.ScanDelayMs * NsPerMs;
                    (state.PidsActive0, state.PidsActive1) = (state.PidsActive1, false);
                }
                if (state.PrevScanSeq == ScanSeq)
                {
                    ScanOffset = vma.EndVpn;
                    continue;
                }
                if (!forced && !IsAccessed(vma, state))
                {
                    skipped = true;
                    continue;
                }
                long end;
                do
                {
                    start = Math.Max(start, vma.StartVpn);
                    end = Math.Min((start + pages + hugePages - 1) / hugePages * hugePages, vma.EndVpn);
                    if (changeProtNuma(vma, start, end) > 0)
                    {
                        pages -= end - start;
                    }
                    virtpages -= end - start;
                    start = end;
                    if (pages <= 0 || virtpages <= 0)
                    {
                        ScanOffset = start;
                        return true;
                    }
                }
                while (end != vma.EndVpn);
                state.PrevScanSeq = ScanSeq;
                if (forced)
                {
                    ScanOffset = start;
                    return true;
                }
            }
            if (!forced && skipped)
            {
                forced = true;
                continue;
            }
            ResetScan();
            return true;
        }
    }

    /// <summary>The scan took <paramref name="costNs"/> of the task's runtime: 32 times that passes before the next one (the 3 % cap).</summary>
    public void WorkCost(long costNs) => NodeStamp += 32 * costNs;

    /// <summary>vma_set_access_pid_bit: the task took a hinting fault in the VMA.</summary>
    public void VmaAccessed(Vma vma)
    {
        ArgumentNullException.ThrowIfNull(vma);
        if (_vmaState.TryGetValue(vma.StartVpn, out var state))
        {
            state.PidsActive1 = true;
        }
    }

    /// <summary>folio_last_cpupid of the page mapped at vpn (the CPU of its last hinting fault, or -1).</summary>
    public int LastCpupid(long vpn, long pfn) =>
        _lastCpupid.TryGetValue(vpn, out var last) && last.Pfn == pfn ? last.Cpu : -1;

    /// <summary>folio_migrate_flags: the new folio at vpn keeps the old one's last cpupid.</summary>
    public void FolioMigrated(long vpn, long oldPfn, long newPfn)
    {
        if (_lastCpupid.TryGetValue(vpn, out var last) && last.Pfn == oldPfn)
        {
            _lastCpupid[vpn] = (newPfn, last.Cpu);
        }
    }

    /// <summary>jiffies_to_msecs(jiffies) at simulated time <paramref name="now"/> (ns): the clock promotion's times are kept in.</summary>
    public static long JiffiesMs(long now) => now / TickNs * (1000 / Hz);

    /// <summary>folio_xchg_access_time at the scan (memory tiering mode, a page of a lower tier): its last_cpupid holds the scan's time.</summary>
    public void MarkAccessTime(long vpn, long pfn, long nowMs) => _accessTime[vpn] = (pfn, nowMs);

    /// <summary>
    /// numa_hint_fault_latency: the milliseconds since the scan marked the page at vpn, whose time becomes now. A
    /// page no scan stamped holds the reset cpupid, which reads as a time half an hour off: never hot.
    /// </summary>
    public long HintFaultLatency(long vpn, long pfn, long nowMs)
    {
        var latency = _accessTime.TryGetValue(vpn, out var last) && last.Pfn == pfn ? nowMs - last.Ms : long.MaxValue;
        _accessTime[vpn] = (pfn, nowMs);
        return latency;
    }

    /// <summary>
    /// should_numa_migrate_memory for the default policy's MPOL_F_MORON: the page at vpn faulted from
    /// <paramref name="dstCpu"/> on <paramref name="dstNid"/>; the folio's last cpupid becomes this CPU's. Early in
    /// the task's life (or before it has a preferred node) a private fault migrates at once; later the two-stage
    /// filter wants the previous fault from the same node. Outside the memory tiering mode a page of a lower tier
    /// (<paramref name="srcTopTier"/> false) never faulted on before stays where it is. The memory tiering mode's
    /// pages of a lower tier are judged by PgdatPromotion instead.
    /// </summary>
    public bool ShouldMigrateMemory(long vpn, long pfn, int dstCpu, int dstNid, Func<int, int> nodeOfCpu, bool dstHasMemory, bool srcTopTier = true)
    {
        ArgumentNullException.ThrowIfNull(nodeOfCpu);
        if (!dstHasMemory)
        {
            return false;
        }
        var last = LastCpupid(vpn, pfn);
        _lastCpupid[vpn] = (pfn, dstCpu);
        if (!srcTopTier && last < 0)
        {
            return false;
        }
        // Every fault is the task's own (it is alone in its mm): cpupid_match_pid holds whenever last is set.
        if (PreferredNid == NoNode || TaskScanSeq <= 4)
        {
            return true;
        }
        return last < 0 || nodeOfCpu(last) == dstNid;
    }

    /// <summary>
    /// task_numa_fault: <paramref name="pages"/> hinting-faulted on <paramref name="memNode"/> (the target, when
    /// migrated); <paramref name="local"/> when the page was on the faulting CPU's node (the CPU side of the
    /// statistics, numa_faults_cpu, only weighs numa_groups and task placement, neither modelled). Placement runs first when its retry time has passed.
    /// </summary>
    public void Fault(long now, long rssPages, int memNode, int pages, bool local, bool migrated, bool migrateFailed, Func<int, int> nearestCpuNode)
    {
        ArgumentNullException.ThrowIfNull(nearestCpuNode);
        if (_mem is null)
        {
            _mem = new long[_nodes];
            _memBuf = new long[_nodes];
            Array.Clear(_locality);
        }
        var jiffies = now / TickNs * TickNs;
        if (jiffies > _migrateRetry)
        {
            Placement(jiffies, rssPages, nearestCpuNode);
            MigratePreferred(jiffies);
        }
        if (migrated)
        {
            PagesMigrated += pages;
        }
        if (migrateFailed)
        {
            _locality[2] += pages;
        }
        _memBuf![memNode] += pages;
        _locality[local ? 1 : 0] += pages;
    }

    /// <summary>
    /// update_scan_period: the task moved to a CPU of another node; having faulted before, it scans again from the
    /// start period, unless it moved to its preferred node or away from a node that was not.
    /// </summary>
    public void Moved(int srcNid, int dstNid, long rssPages)
    {
        if (_mem is null || srcNid == dstNid)
        {
            return;
        }
        if (TaskScanSeq != 0 && (dstNid == PreferredNid || (PreferredNid != NoNode && srcNid != PreferredNid)))
        {
            return;
        }
        ScanPeriodMs = NumaScanPeriod.Start(_sysctls, _pageShift, rssPages);
    }

    /// <summary>task_numa_placement, once per scan sequence: decay the faults, pick the preferred node, adapt the period.</summary>
    private void Placement(long jiffies, long rssPages, Func<int, int> nearestCpuNode)
    {
        if (TaskScanSeq == ScanSeq)
        {
            return;
        }
        TaskScanSeq = ScanSeq;
        ScanPeriodMaxMs = NumaScanPeriod.Max(_sysctls, _pageShift, rssPages);
        long maxFaults = 0, privateFaults = 0;
        var maxNid = NoNode;
        for (var nid = 0; nid < _nodes; nid++)
        {
            // Every fault is private (index priv 1); the shared buckets stay 0.
            var diff = _memBuf![nid] - (_mem![nid] / 2);
            privateFaults += _memBuf[nid];
            _memBuf[nid] = 0;
            _mem[nid] += diff;
            if (_mem[nid] > maxFaults)
            {
                maxFaults = _mem[nid];
                maxNid = nid;
            }
        }
        if (maxFaults > 0)
        {
            PreferredNid = nearestCpuNode(maxNid);
        }
        UpdateScanPeriod(jiffies, shared: 0, privateFaults, rssPages);
    }

    private void UpdateScanPeriod(long jiffies, long shared, long privateFaults, long rssPages)
    {
        var (remote, local) = (_locality[0], _locality[1]);
        if (local + shared == 0 || _locality[2] != 0)
        {
            ScanPeriodMs = NumaScanPeriod.Slower(ScanPeriodMs, ScanPeriodMaxMs);
            NextScan = jiffies + (ScanPeriodMs * NsPerMs);
            return;
        }
        ScanPeriodMs = NumaScanPeriod.Adapt(ScanPeriodMs, local, remote, shared, privateFaults,
            NumaScanPeriod.Min(_sysctls, _pageShift, rssPages), NumaScanPeriod.Max(_sysctls, _pageShift, rssPages));
        Array.Clear(_locality);
    }

    /// <summary>numa_migrate_preferred: only its retry interval; moving the task to its preferred node is not modelled.</summary>
    private void MigratePreferred(long jiffies)
    {
        if (PreferredNid == NoNode || _mem is null)
        {
            return;
        }
        var interval = Math.Min(Hz, ScanPeriodMs * NsPerMs / TickNs / 16);
        _migrateRetry = jiffies + (interval * TickNs);
    }

    private void ResetScan()
    {
        ScanSeq++;
        ScanOffset = 0;
    }

    private VmaNumab StateOf(Vma vma, long jiffies)
    {
        if (!_vmaState.TryGetValue(vma.StartVpn, out var state))
        {
            var next = jiffies + (_sysctls.ScanDelayMs * NsPerMs);
            state = new VmaNumab
            {
                StartScanSeq = ScanSeq,
                NextScan = next,
                PidsActiveReset = next + (4 * _sysctls.ScanDelayMs * NsPerMs),
                PrevScanSeq = ScanSeq - 1,
            };
            _vmaState[vma.StartVpn] = state;
        }
        return state;
    }

    /// <summary>vma_is_accessed: the first two sequences scan every VMA; later ones those the task faulted in lately, or one a scan is in.</summary>
    private bool IsAccessed(Vma vma, VmaNumab state) =>
        ScanSeq - state.StartScanSeq < 2 || state.PidsActive0 || state.PidsActive1 || ScanOffset > vma.StartVpn;

    /// <summary>vma_policy_mof: only the default policy (MPOL_F_MOF) lets NUMA balancing move pages.</summary>
    private static bool PolicyMof(Vma vma, MemPolicy taskPolicy) =>
        (vma.Policy.Mode == MemPolicyMode.Default ? taskPolicy : vma.Policy).Mode == MemPolicyMode.Default;

    private static int FirstVmaEndingAfter(IReadOnlyList<Vma> vmas, long vpn)
    {
        var index = 0;
        while (index < vmas.Count && vmas[index].EndVpn <= vpn)
        {
            index++;
        }
        return index;
    }

    /// <summary>vma_numab_state.</summary>
    private sealed class VmaNumab
    {
        public int StartScanSeq { get; init; }
        public long NextScan { get; init; }
        public long PidsActiveReset { get; set; }
        public int PrevScanSeq { get; set; }
        public bool PidsActive0 { get; set; }
        public bool PidsActive1 { get; set; }
    }
}
