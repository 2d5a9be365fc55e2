using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Mmu;

/// <summary>
/// do_anonymous_page / do_huge_pmd_anonymous_page (mm/memory.c, mm/huge_memory.c): the missing tables, then a
/// zeroed page by the mapping's policy, then the entry. A huge page that cannot be had falls back to a base page;
/// a page that cannot be had at all ends in the OOM killer.
/// </summary>
public sealed partial class FaultHandler
{
    private static readonly AllocationRequest DefaultTableRequest = new(0, Gfp.Kernel | Gfp.Zero | Gfp.Account, MemPolicy.Default);

    private readonly NewTablePages _tables = new();
    private bool _huge, _zeroPage;
    private int _missingTables;
    private AllocationRequest? _request;
    private AllocationRequest? _basePageRequest;
    private AllocationStep _hugePage;

    /// <summary>A new task's mm (mm_alloc, pgd_alloc): its page-table root, by the task's own policy.</summary>
    public FaultStep CreateMm(IMmTask task, long now)
    {
        ArgumentNullException.ThrowIfNull(task);
        _task = task;
        _start = now;
        _now = now + _latency.FaultEntryNs;
        return AllocateTaskPage(TableRequest(task), State.PgdPage);
    }

    private FaultStep OnPgdPage(AllocationStep step)
    {
        var task = _task!;
        if (step.Kind != AllocationStepKind.Allocated)
        {
            Report("oom", $"task {task.Id}: no page for its page-table root");
            return Done(FaultResult.NoRoot, -1, -1, 0, Gfp.None, false);
        }
        var node = ZoneIndex.Node(step.Zone);
        NodeStats.PageTable(node, 1);
        task.Mm = new AddressSpace(task.Id, _topology.Arch.Paging, step.Pfn, node);
        task.Mm.RanOn(_cpu);
        return Done(FaultResult.MmCreated, node, step.Pfn, 0, Gfp.None, false);
    }

    /// <summary>A not-present page: the fault handler maps a huge page where it may, else a base page.</summary>
    private FaultStep DemandFault(bool write)
    {
        _now += _latency.FaultEntryNs;
        Faults++;
        _events.CountFault();
        var mm = _task!.Mm!;
        var vma = _vma!;
        var head = _vpn & ~(long)(mm.Mode.HugePages - 1);
        var huge = vma.Hugepage && head >= vma.StartVpn && head + mm.Mode.HugePages <= vma.EndVpn && mm.PageTable.HugeSlotFree(_vpn);
        // do_anonymous_page maps the shared zero page for a read (a huge mapping's read takes a huge page here:
        // the huge zero page is not modelled). A base page needs the tables the access's walk found missing.
        return huge ? MapPage(huge: true, zeroPage: false) : MapPage(huge: false, zeroPage: !write, _walkMissingTables);
    }

    private FaultStep MapPage(bool huge, bool zeroPage) => MapPage(huge, zeroPage, _task!.Mm!.PageTable.MissingTables(_vpn, huge));

    private FaultStep MapPage(bool huge, bool zeroPage, int missingTables)
    {
        _huge = huge;
        _zeroPage = zeroPage;
        _tables.Clear();
        _missingTables = missingTables;
        return NextFaultStep();
    }

    private FaultStep NextFaultStep()
    {
        if (_tables.Count < _missingTables)
        {
            return AllocateTaskPage(TableRequest(_task!), State.TablePage);
        }
        if (_zeroPage)
        {
            return MapZeroPage();
        }
        var mm = _task!.Mm!;
        var vma = _vma!;
        var pages = _huge ? mm.Mode.HugePages : 1;
        var head = _vpn & ~(long)(pages - 1);
        _request = _huge
            ? new AllocationRequest(mm.Mode.HugeOrder, Gfp.TransHuge | Gfp.Zero, PolicyOf(vma)) { InterleaveIndex = (head - vma.StartVpn) / pages }
            : BasePageRequest(PolicyOf(vma), _vpn - vma.StartVpn);
        return AllocateTaskPage(_request, State.DataPage);
    }

    private FaultStep OnTablePage(AllocationStep step)
    {
        if (step.Kind != AllocationStepKind.Allocated)
        {
            return FaultFailed();
        }
        _now += _latency.PageZeroNs;
        _tables.Add((step.Pfn, ZoneIndex.Node(step.Zone)));
        return NextFaultStep();
    }

    private FaultStep OnDataPage(AllocationStep step)
    {
        if (step.Kind != AllocationStepKind.Allocated)
        {
            if (_huge)
            {
                _events.CountThpFault(false);
                _frees.Clear();
                FreeTables();
                return FreeThen(State.RetryBase);
            }
            return FaultFailed();
        }
        if (!_huge)
        {
            return InstallPage(step, deposit: null);
        }
        // __do_huge_pmd_anonymous_page: a PTE table is allocated with the huge page and deposited, so that the
        // huge mapping can later be split without allocating; it counts as a page-table page meanwhile.
        _hugePage = step;
        return AllocateTaskPage(TableRequest(_task!), State.DepositTable);
    }

    private FaultStep OnDepositTable(AllocationStep step)
    {
        var page = _hugePage;
        if (step.Kind != AllocationStepKind.Allocated)
        {
            _events.CountThpFault(false);
            _frees.Clear();
            _frees.Add(new FreedBlock(page.Zone, page.Pfn, _task!.Mm!.Mode.HugeOrder, MigrateType.Movable, PageTable: false));
            FreeTables();
            return FreeThen(State.RetryBase);
        }
        _now += _latency.PageZeroNs;
        _events.CountThpFault(true);
        return InstallPage(page, (step.Pfn, ZoneIndex.Node(step.Zone)));
    }

    private FaultStep InstallPage(AllocationStep step, (long Pfn, int Node)? deposit)
    {
        var mm = _task!.Mm!;
        if (deposit is { } table)
        {
            NodeStats.PageTable(table.Node, 1);
        }
        var vma = _vma!;
        var pages = _huge ? mm.Mode.HugePages : 1;
        var head = _vpn & ~(long)(pages - 1);
        _now += _latency.PageZeroNs * pages;
        var node = ZoneIndex.Node(step.Zone);
        foreach (var (_, tableNode) in _tables)
        {
            NodeStats.PageTable(tableNode, 1);
        }
        NodeStats.Anon(step.Zone, pages);
        AddedToLru(step.Zone, step.Pfn, _huge ? mm.Mode.HugeOrder : 0, head);
        var writable = (vma.Protection & Protection.Write) != 0;
        var pte = new Pte(step.Pfn, node, PteFlags.Present | PteFlags.Read | PteFlags.User | PteFlags.Accessed | (writable ? PteFlags.Write : PteFlags.None));
        if (_huge)
        {
            NodeStats.AnonHuge(node, pages);
            mm.MapHuge(head, pte, _tables, deposit!.Value);
            _hugeTlb.Insert(mm.Id, _vpn >> _hugeShift, pte);
        }
        else
        {
            mm.Map(_vpn, pte, _tables);
            _tlb.Insert(mm.Id, _vpn, pte);
        }
        _now += _access.Price(node, _write, _now);
        _fault.Record(_now - _start);
        return Done(FaultResult.Fault, node, step.Pfn, _request!.Order, _request.Gfp, _huge);
    }

    /// <summary>
    /// Out of memory in a fault: the tables taken for it go back and the access fails; with no page to be had and
    /// nothing reclaimable, the OOM killer kills the task (FaultHandler.Oom.cs).
    /// </summary>
    private FaultStep FaultFailed()
    {
        _frees.Clear();
        FreeTables();
        return FreeThen(State.OomFreed);
    }

    private void FreeTables()
    {
        foreach (var (pfn, node) in _tables)
        {
            FreeLater(node, pfn, 0, MigrateType.Unmovable, pageTable: true);
        }
    }

    /// <summary>
    /// GFP_HIGHUSER_MOVABLE for a base page: the page's offset in the mapping picks the node under interleave; under
    /// any other policy the request is the same for every page, so the last one is asked again rather than a new one
    /// made per fault.
    /// </summary>
    private AllocationRequest BasePageRequest(MemPolicy policy, long offset)
    {
        if (policy.Interleaves)
        {
            return new AllocationRequest(0, Gfp.HighUserMovable | Gfp.Zero, policy) { InterleaveIndex = offset };
        }
        if (!ReferenceEquals(_basePageRequest?.Policy, policy))
        {
            _basePageRequest = new AllocationRequest(0, Gfp.HighUserMovable | Gfp.Zero, policy);
        }
        return _basePageRequest;
    }

    /// <summary>
    /// Page tables: GFP_PGTABLE_USER by the task's own policy, as alloc_pages does for a task (a task bound to
    /// node 0 gets its tables there too, or none); interleave takes the task's next node, having no offset.
    /// </summary>
    private static AllocationRequest TableRequest(IMmTask task)
    {
        var policy = task.Policy;
        if (policy.Mode == MemPolicyMode.Default)
        {
            return DefaultTableRequest;
        }
        return new AllocationRequest(0, Gfp.Kernel | Gfp.Zero | Gfp.Account, policy)
        {
            InterleaveIndex = policy.Interleaves ? task.InterleaveNext++ : 0,
        };
    }
}
