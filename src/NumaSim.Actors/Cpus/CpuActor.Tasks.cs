using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Actors.Observation;
using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sim;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// Tasks on this CPU: every access looks in the TLB; a miss walks the page table (one memory
/// access per level, priced by where that table page lives); a not-present page is a demand
/// fault that allocates tables and the page by the mapping's policy; a forbidden access is a
/// segmentation fault of the task, and the run goes on.
/// </summary>
public sealed partial class CpuActor
{
    private const int MaxErrorsKept = 100;

    private readonly Scenario _scenario;
    private readonly Dictionary<int, SimTask> _tasks = [];
    private readonly List<(long Pfn, int Node)> _faultTables = [];
    private SimTask? _faultTask;
    private AllocationRequest? _faultRequest;
    private long _faultVpn, _faultStart;
    private bool _faultHuge, _faultZeroPage;
    private int _faultMissingTables;
    private Action<AllocationStep>? _onFaultTable, _onFaultPage, _onFaultDeposit;
    private AllocationStep _faultHugePage;
    private readonly Tlb _tlb;
    private readonly Tlb _hugeTlb;
    private readonly int _hugeShift;
    private long _tlbHits, _tlbMisses;
    private LatencyRecorder.Counter _tlbHitLocal, _tlbHitRemote, _walk;
    private readonly bool _softwareRefill;
    private readonly List<int> _walkNodes = [];
    private long _faults, _segfaults, _migrations;
    private int _tasksToStart;

    private void StartTask(int taskId)
    {
        var (_, stream) = _scenario.TasksStartingOn(_cpu).First(t => t.TaskId == taskId);
        var task = new SimTask(taskId, stream, new SimRandom(_scenario.Seed, ComponentIds.CpuBase * 2 + taskId))
        {
            CpuIndex = stream.Cpus.ToList().IndexOf(_cpu),
        };
        _tasks[taskId] = task;
        _tasksToStart--;
        _now += _latency.FaultEntryNs;
        AllocateTaskPage(TableRequest(task), step =>
        {
            if (step.Kind != AllocationStepKind.Allocated)
            {
                Error("oom", $"task {taskId}: no page for its page-table root");
                task.Stop();
                return;
            }
            var node = ZoneIndex.Node(step.Zone);
            _nodeStats.PageTable(node, 1);
            task.Mm = new AddressSpace(taskId, _topology.Arch.Paging, step.Pfn, node);
            task.Mm.RanOn(_cpu);
            if (task.Program is null)
            {
                task.BaseVpn = task.Mm.Mmap(stream.WorkingSetPages, Protection.ReadWrite, stream.Policy, stream.Thp ? task.Mm.Mode.HugePages : 1, stream.Thp);
            }
            Operations++;
            ScheduleStep(task);
        });
    }

    private void ScheduleStep(SimTask task)
    {
        if (!task.Finished)
        {
            Schedule(_now + task.ThinkNs, task.StepDue);
        }
    }

    private void StepTask(int taskId)
    {
        if (!_tasks.TryGetValue(taskId, out var task) || task.Finished)
        {
            return;
        }
        if (task.Program is { } program)
        {
            RunProgram(task, program);
            return;
        }
        if (task.Pending.TryDequeue(out var kind))
        {
            switch (kind)
            {
                case TaskStepKind.Munmap:
                    UnmapAndRemapChunk(task);
                    return;
                case TaskStepKind.Mprotect:
                    FlipChunkProtection(task);
                    return;
                default:
                    Migrate(task);
                    return;
            }
        }
        Access(task, task.BaseVpn + task.Accesses.Next(), task.Random.NextDouble() < task.Stream.WriteRatio);
    }

    private void Access(SimTask task, long vpn, bool write)
    {
        var start = _now;
        var mm = task.Mm!;
        _now += _latency.TlbHitNs;
        // Both TLBs are looked up at once, as hardware does.
        if ((_tlb.TryLookup(mm.Id, vpn, out var cached) || _hugeTlb.TryLookup(mm.Id, vpn >> _hugeShift, out cached)) && (!write || cached.Writable))
        {
            _tlbHits++;
            var distance = _topology.DistanceBetween(Node, cached.Node);
            _now += _latency.Dram(distance);
            RecordAccess(AccessKinds.TlbHit, start, cached.Node, cached.Pfn, cached.Huge ? mm.Mode.HugeOrder : 0);
            FinishAccess(task, IsLocal(distance) ? _tlbHitLocal : _tlbHitRemote, start);
            return;
        }
        _tlbMisses++;
        if (_softwareRefill)
        {
            _now += _latency.TlbRefillTrapNs;
        }
        var leaf = mm.PageTable.Walk(vpn, _walkNodes);
        foreach (var node in _walkNodes)
        {
            _now += _latency.Dram(_topology.DistanceBetween(Node, node));
        }
        switch (mm.Classify(vpn, write, leaf))
        {
            case FaultKind.None:
                if (leaf!.Value.Huge)
                {
                    _hugeTlb.Insert(mm.Id, vpn >> _hugeShift, leaf.Value);
                }
                else
                {
                    _tlb.Insert(mm.Id, vpn, leaf.Value);
                }
                _now += _latency.Dram(_topology.DistanceBetween(Node, leaf.Value.Node));
                RecordAccess(AccessKinds.Walk, start, leaf.Value.Node, leaf.Value.Pfn, leaf.Value.Huge ? mm.Mode.HugeOrder : 0);
                FinishAccess(task, _walk, start);
                return;
            case FaultKind.NotPresent:
                DemandFault(task, vpn, start, write);
                return;
            case FaultKind.WriteProtect:
                CopyOnWrite(task, vpn, start);
                return;
            default:
                _now += _latency.FaultEntryNs;
                _segfaults++;
                task.Segfaults++;
                Error("segfault", $"task {task.Id}: {(write ? "write" : "read")} at 0x{vpn << mm.Mode.PageShift:x} ({(mm.Find(vpn) is null ? "no mapping" : "access not permitted")})");
                FinishAccess(task, "segfault", start);
                return;
        }
    }

    /// <summary>A not-present page: the fault handler maps a huge page where it may, else a base page.</summary>
    private void DemandFault(SimTask task, long vpn, long start, bool write)
    {
        _now += _latency.FaultEntryNs;
        _faults++;
        _allocator.Events.CountFault();
        var mm = task.Mm!;
        var vma = mm.Find(vpn)!;
        var head = vpn & ~(long)(mm.Mode.HugePages - 1);
        var huge = vma.Hugepage && head >= vma.StartVpn && head + mm.Mode.HugePages <= vma.EndVpn && mm.PageTable.HugeSlotFree(vpn);
        // do_anonymous_page maps the shared zero page for a read (a huge mapping's read takes a huge page here:
        // the huge zero page is not modelled).
        MapPage(task, vpn, start, huge, zeroPage: !write && !huge);
    }

    /// <summary>
    /// do_anonymous_page / do_huge_pmd_anonymous_page: the missing tables, then a zeroed page by the
    /// mapping's policy, then the entry. A huge page that cannot be had falls back to a base page.
    /// A CPU handles one fault at a time (it blocks while a zone answers), so the fault's state lives in
    /// fields and two delegates carry every fault, rather than closures per fault on the hot path.
    /// </summary>
    private void MapPage(SimTask task, long vpn, long start, bool huge, bool zeroPage = false)
    {
        _faultTask = task;
        _faultVpn = vpn;
        _faultStart = start;
        _faultHuge = huge;
        _faultZeroPage = zeroPage;
        _faultTables.Clear();
        _faultMissingTables = task.Mm!.PageTable.MissingTables(vpn, huge);
        NextFaultStep();
    }

    private void NextFaultStep()
    {
        if (_faultTables.Count < _faultMissingTables)
        {
            AllocateTaskPage(TableRequest(_faultTask!), _onFaultTable ??= OnFaultTable);
            return;
        }
        if (_faultZeroPage)
        {
            MapZeroPage();
            return;
        }
        var mm = _faultTask!.Mm!;
        var vma = mm.Find(_faultVpn)!;
        var pages = _faultHuge ? mm.Mode.HugePages : 1;
        var head = _faultVpn & ~(long)(pages - 1);
        var request = _faultHuge
            ? new AllocationRequest(mm.Mode.HugeOrder, Gfp.TransHuge | Gfp.Zero, vma.Policy) { InterleaveIndex = (head - vma.StartVpn) / pages }
            : new AllocationRequest(0, Gfp.HighUserMovable | Gfp.Zero, vma.Policy) { InterleaveIndex = _faultVpn - vma.StartVpn };
        _faultRequest = request;
        AllocateTaskPage(request, _onFaultPage ??= OnFaultPage);
    }

    private void OnFaultTable(AllocationStep step)
    {
        if (step.Kind != AllocationStepKind.Allocated)
        {
            FaultFailed(_faultTask!, _faultTables, _faultStart);
            return;
        }
        _now += _latency.PageZeroNs;
        _faultTables.Add((step.Pfn, ZoneIndex.Node(step.Zone)));
        NextFaultStep();
    }

    private void OnFaultPage(AllocationStep step)
    {
        var (task, vpn, start, huge) = (_faultTask!, _faultVpn, _faultStart, _faultHuge);
        if (step.Kind != AllocationStepKind.Allocated)
        {
            if (huge)
            {
                _allocator.Events.CountThpFault(false);
                FreeTables(_faultTables);
                MapPage(task, vpn, start, huge: false);
                return;
            }
            FaultFailed(task, _faultTables, start);
            return;
        }
        if (!huge)
        {
            InstallFaultPage(step, deposit: null);
            return;
        }
        // __do_huge_pmd_anonymous_page: a PTE table is allocated with the huge page and deposited, so that the
        // huge mapping can later be split without allocating; it counts as a page-table page meanwhile.
        _faultHugePage = step;
        AllocateTaskPage(TableRequest(task), _onFaultDeposit ??= OnFaultDeposit);
    }

    private void OnFaultDeposit(AllocationStep step)
    {
        var page = _faultHugePage;
        if (step.Kind != AllocationStepKind.Allocated)
        {
            _allocator.Events.CountThpFault(false);
            FreeBlock(page.Zone, page.Pfn, _faultTask!.Mm!.Mode.HugeOrder, MigrateType.Movable, FreeKind.Munmap);
            FreeTables(_faultTables);
            MapPage(_faultTask, _faultVpn, _faultStart, huge: false);
            return;
        }
        _now += _latency.PageZeroNs;
        _allocator.Events.CountThpFault(true);
        InstallFaultPage(page, (step.Pfn, ZoneIndex.Node(step.Zone)));
    }

    private void InstallFaultPage(AllocationStep step, (long Pfn, int Node)? deposit)
    {
        var (task, vpn, start, huge) = (_faultTask!, _faultVpn, _faultStart, _faultHuge);
        var mm = task.Mm!;
        if (deposit is { } table)
        {
            _nodeStats.PageTable(table.Node, 1);
        }
        var vma = mm.Find(vpn)!;
        var pages = huge ? mm.Mode.HugePages : 1;
        var head = vpn & ~(long)(pages - 1);
        _now += _latency.PageZeroNs * pages;
        var node = ZoneIndex.Node(step.Zone);
        foreach (var (_, tableNode) in _faultTables)
        {
            _nodeStats.PageTable(tableNode, 1);
        }
        _nodeStats.Anon(node, pages);
        var writable = (vma.Protection & Protection.Write) != 0;
        var pte = new Pte(step.Pfn, node, PteFlags.Present | PteFlags.Read | PteFlags.User | PteFlags.Accessed | (writable ? PteFlags.Write : PteFlags.None));
        if (huge)
        {
            _nodeStats.AnonHuge(node, pages);
            mm.MapHuge(head, pte, _faultTables, deposit!.Value);
            _hugeTlb.Insert(mm.Id, vpn >> _hugeShift, pte);
        }
        else
        {
            mm.Map(vpn, pte, _faultTables);
            _tlb.Insert(mm.Id, vpn, pte);
        }
        _now += _latency.Dram(_topology.DistanceBetween(Node, node));
        _allocGfp = _faultRequest!.Gfp;
        RecordAccess(AccessKinds.Fault, start, node, step.Pfn, _faultRequest.Order);
        if (Observed)
        {
            Observe(new PageFaulted(_now, _cpu, task.Id, vpn << _topology.Arch.Paging.PageShift, node, huge));
        }
        FinishAccess(task, "fault", start);
    }

    /// <summary>A page for a task (table or data): the per-CPU fast path's cost, then the allocator.</summary>
    private void AllocateTaskPage(AllocationRequest request, Action<AllocationStep> then)
    {
        _now += _latency.PcpAllocNs;
        AllocatePages(request, then);
    }

    /// <summary>
    /// Out of memory in a fault: the tables taken for it go back and the access fails; with no page to be
    /// had and nothing reclaimable, the OOM killer kills the task (<see cref="OomKill"/>).
    /// </summary>
    private void FaultFailed(SimTask task, List<(long Pfn, int Node)> tables, long start)
    {
        FreeTables(tables);
        _recorder.Record("fault_oom", _now - start);
        Operations++;
        OomKill(task);
    }

    private void FreeTables(List<(long Pfn, int Node)> tables)
    {
        foreach (var (pfn, node) in tables)
        {
            FreeBlock(ZoneOfPfn(node, pfn), pfn, 0, MigrateType.Unmovable, FreeKind.PageTable);
        }
    }

    private int ZoneOfPfn(int node, long pfn) =>
        ZoneIndex.Of(node, _topology.Nodes[node].Zones.First(z => pfn >= z.StartPfn && pfn < z.EndPfn).Type);

    private void FinishAccess(SimTask task, string kind, long start) => FinishAccess(task, _recorder.For(kind), start);

    private void FinishAccess(SimTask task, LatencyRecorder.Counter kind, long start)
    {
        kind.Record(_now - start);
        Operations++;
        task.CountAccess();
        ScheduleStep(task);
    }

    private void Error(string kind, string message)
    {
        if (Observed)
        {
            Observe(new KernelReported(_now, _cpu, kind, message, null));
        }
        if (_errors.Count < MaxErrorsKept)
        {
            _errors.Add(new SimError(kind, message, _cpu, _now));
        }
    }

    private static long RandomChunk(SimTask task) =>
        (long)(task.Random.NextUInt64() % (ulong)(task.Stream.WorkingSetPages / task.Stream.ChunkPages));

    /// <summary>mprotect: flip a chunk between read-only and read-write; changed entries are shot down everywhere they may be cached.</summary>
    private void FlipChunkProtection(SimTask task)
    {
        var start = _now;
        _now += _latency.FaultEntryNs;
        var chunk = RandomChunk(task);
        var readOnly = task.ReadOnlyChunks.Add(chunk) || !task.ReadOnlyChunks.Remove(chunk);
        var changed = new List<long>();
        task.Mm!.Mprotect(task.BaseVpn + chunk * task.Stream.ChunkPages, task.Stream.ChunkPages, readOnly ? Protection.Read : Protection.ReadWrite, changed);
        Shootdown(task, changed, () =>
        {
            _recorder.Record("mprotect", _now - start);
            Operations++;
            ScheduleStep(task);
        });
    }

    /// <summary>munmap a chunk and map it again: its pages are freed after every TLB has dropped them, and fault back in on next touch.</summary>
    private void UnmapAndRemapChunk(SimTask task)
    {
        var start = _now;
        _now += _latency.FaultEntryNs;
        var chunk = RandomChunk(task);
        var first = task.BaseVpn + chunk * task.Stream.ChunkPages;
        var mm = task.Mm!;
        var policy = mm.Find(first)?.Policy ?? task.Stream.Policy;
        var removed = new List<(long Vpn, Pte Pte)>();
        var deposits = new Dictionary<long, (long Pfn, int Node)>();
        var hugepage = mm.Find(first)?.Hugepage ?? task.Stream.Thp;
        mm.Munmap(first, task.Stream.ChunkPages, removed, deposits);
        Shootdown(task, [.. removed.Select(r => r.Vpn)], () =>
        {
            FreeUnmapped(mm, removed, deposits);
            mm.MmapFixed(first, task.Stream.ChunkPages, Protection.ReadWrite, policy, hugepage);
            task.ReadOnlyChunks.Remove(chunk);
            _recorder.Record("munmap", _now - start);
            Operations++;
            ScheduleStep(task);
        });
    }

    /// <summary>
    /// zap_pte_range / zap_huge_pmd, once every TLB has dropped the entries: each unmapped page goes back (the zero
    /// page is no one's), with the PTE table deposited beside a huge one.
    /// </summary>
    private void FreeUnmapped(AddressSpace mm, List<(long Vpn, Pte Pte)> removed, Dictionary<long, (long Pfn, int Node)> deposits)
    {
        foreach (var (vpn, pte) in removed)
        {
            if (pte.ZeroPage)
            {
                continue;
            }
            var pages = pte.Huge ? mm.Mode.HugePages : 1;
            _nodeStats.Anon(pte.Node, -pages);
            if (pte.Huge)
            {
                _nodeStats.AnonHuge(pte.Node, -pages);
            }
            if (deposits.Remove(vpn, out var table))
            {
                _nodeStats.PageTable(table.Node, -1);
                FreeBlock(ZoneOfPfn(table.Node, table.Pfn), table.Pfn, 0, MigrateType.Unmovable, FreeKind.PageTable);
            }
            FreeBlock(ZoneOfPfn(pte.Node, pte.Pfn), pte.Pfn, pte.Huge ? mm.Mode.HugeOrder : 0, MigrateType.Movable, FreeKind.Munmap);
        }
    }

    /// <summary>The task moves to the next CPU of its list; its address space goes with it.</summary>
    private void Migrate(SimTask task)
    {
        task.CpuIndex = (task.CpuIndex + 1) % task.Stream.Cpus.Count;
        MigrateTo(task, task.Stream.Cpus[task.CpuIndex]);
    }

    private void MigrateTo(SimTask task, int target)
    {
        _tasks.Remove(task.Id);
        var arrival = _now + _latency.MigrationNs * _topology.DistanceBetween(Node, _topology.NodeOfCpu(target)) / 10;
        Outbox.Send(ComponentIds.Cpu(target), arrival, NotBefore, new TaskMigration(task));
        _migrations++;
        Operations++;
    }

    private void ArriveTask(SimTask task)
    {
        _tasks[task.Id] = task;
        task.Mm!.RanOn(_cpu);
        ScheduleStep(task);
    }

    /// <summary>
    /// Page tables: GFP_PGTABLE_USER by the task's own policy, as alloc_pages does for a task (a task bound to
    /// node 0 gets its tables there too, or none); interleave takes the task's next node, having no offset.
    /// </summary>
    private static AllocationRequest TableRequest(SimTask task)
    {
        var policy = task.Policy;
        if (policy.Mode == MemPolicyMode.Default)
        {
            return DefaultTableRequest;
        }
        return new AllocationRequest(0, Gfp.Kernel | Gfp.Zero | Gfp.Account, policy)
        {
            InterleaveIndex = policy.Mode == MemPolicyMode.Interleave ? task.InterleaveNext++ : 0,
        };
    }

    private static readonly AllocationRequest DefaultTableRequest = new(0, Gfp.Kernel | Gfp.Zero | Gfp.Account, MemPolicy.Default);
}
