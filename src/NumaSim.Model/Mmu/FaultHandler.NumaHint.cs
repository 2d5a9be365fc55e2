using NumaSim.Model.Migrate;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sched;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Mmu;

/// <summary>
/// do_numa_page (mm/memory.c): an access to a PROT_NONE entry NUMA balancing's scan left. numa_migrate_check counts
/// the hinting fault (numa_hint_faults, and numa_hint_faults_local when the page is on this CPU's node), marks the
/// VMA as used by the task and asks mpol_misplaced where the page belongs: under the default policy, this CPU's
/// node if should_numa_migrate_memory agrees. A misplaced page on a node with room (migrate_balanced_pgdat) is
/// migrated there (<see cref="MigrateFolio"/>; numa_pages_migrated); otherwise, or when the migration finds no
/// page, the entry is made accessible again where it is. task_numa_fault records the fault for the scan period,
/// and the access then goes on as a walk to the page. In the memory tiering mode a page of a lower tier is judged
/// by how soon after its scan it faulted (<see cref="PgdatPromotion"/>) and, promoted to this CPU's node of the
/// top tier, counts pgpromote_success there; its faults stay out of the task's statistics. A huge folio is judged
/// and moved whole (do_huge_pmd_numa_page): one hinting fault, HPAGE_PMD_NR pages for the task's statistics, the
/// promotion's rate limit and numa_pages_migrated.
/// </summary>
public sealed partial class FaultHandler
{
    private MigrateFolio? _migration;
    private Pte _hintPte;
    private long _hintVpn;
    private int _hintOrder;
    private bool _hintLocal, _hintWritable, _hintCpupidValid;
    private PgdatPromotion[]? _promotion;

    /// <summary>The last hinting fault's migration (Migrated false when the page stayed).</summary>
    public MigrateOutcome NumaHintMigration { get; private set; }

    /// <summary>The node the last hinting fault's page was on before it.</summary>
    public int NumaHintSourceNode { get; private set; }

    /// <summary>
    /// The node whose kswapd the last hinting fault wakes (to its promo watermark, ZONE_MOVABLE as the highest zone), or
    /// -1: memory tiering found the promotion's target nearly full (numamigrate_isolate_folio).
    /// </summary>
    public int NumaHintWakeNode { get; private set; } = -1;

    private FaultStep NumaHintFault(Pte pte)
    {
        _now += _latency.FaultEntryNs;
        Faults++;
        _events.CountFault();
        var mm = _task!.Mm!;
        var numa = mm.Numa ?? throw new InvalidOperationException("a PROT_NONE entry in an mm NUMA balancing does not scan");
        var vma = mm.Find(_vpn)!;
        _hintPte = pte;
        // A huge folio's state (its last cpupid, its scan time) is its first page's.
        _hintOrder = pte.Huge ? mm.Mode.HugeOrder : 0;
        _hintVpn = pte.Huge ? _vpn & ~(long)(mm.Mode.HugePages - 1) : _vpn;
        _hintWritable = (vma.Protection & Protection.Write) != 0;
        NumaHintSourceNode = pte.Node;
        NumaHintMigration = default;
        NumaHintWakeNode = -1;
        numa.VmaAccessed(vma);
        _events.Count(VmEventItem.NumaHintFaults);
        _hintLocal = pte.Node == _node;
        if (_hintLocal)
        {
            _events.Count(VmEventItem.NumaHintFaultsLocal);
        }
        // numa_migrate_check: a folio that keeps its access time there has no last cpupid.
        _hintCpupidValid = !NumaBalancing!.UsesAccessTime(pte.Node) && numa.LastCpupid(_hintVpn, pte.Pfn) >= 0;
        var target = MpolMisplaced(mm, vma, pte);
        if (target == TaskNumaBalancing.NoNode)
        {
            return NumaHintMap(migrateFailed: false);
        }
        if (!MisplacedFolio.BalancedPgdat(NumaBalancing!.Setup, NumaBalancing.Views, target, 1 << _hintOrder))
        {
            // Nearly full: the page stays; memory tiering wakes the target's kswapd, which balances to the promo
            // watermark and so makes room for the next promotions (by demoting, or reclaiming, its coldest pages).
            if (NumaBalancing.Tiering)
            {
                NumaHintWakeNode = target;
            }
            return NumaHintMap(migrateFailed: true);
        }
        _migration ??= new MigrateFolio(_topology, _latency, _events);
        var request = new MigrateRequest(pte.Pfn, pte.Node, _hintOrder, target, MisplacedFolio.Destination(_hintOrder, target), MigrateReason.NumaMisplaced)
        {
            Mm = mm,
            Vpn = _hintVpn,
            Writable = _hintWritable,
        };
        return ForwardMigration(_migration.Begin(request, _now));
    }

    /// <summary>
    /// mpol_misplaced: only the default policy moves pages (MPOL_F_MOF), towards the faulting CPU's node
    /// (MPOL_F_MORON) when the two-stage filter agrees; returns the node, or none.
    /// </summary>
    private int MpolMisplaced(AddressSpace mm, Vma vma, Pte pte)
    {
        var policy = PolicyOf(vma);
        if (policy.Mode != MemPolicyMode.Default)
        {
            return TaskNumaBalancing.NoNode;
        }
        var hasMemory = _topology.Nodes[_node].Zones.Any(z => z.Managed > 0);
        var numab = NumaBalancing!;
        var migrate = numab.UsesAccessTime(pte.Node)
            ? hasMemory && ShouldPromote(mm, pte)
            : mm.Numa!.ShouldMigrateMemory(_hintVpn, pte.Pfn, _cpu, _node, _topology.NodeOfCpu, hasMemory, numab.Tiers.IsTopTier(pte.Node));
        return migrate && pte.Node != _node ? _node : TaskNumaBalancing.NoNode;
    }

    /// <summary>
    /// should_numa_migrate_memory's memory tiering half for a page of a lower tier faulted from this CPU: this node's
    /// promotion state judges it, counting pgpromote_candidate (or _nrl when the node has room to spare) here.
    /// </summary>
    private bool ShouldPromote(AddressSpace mm, Pte pte)
    {
        var numab = NumaBalancing!;
        var nowMs = TaskNumaBalancing.JiffiesMs(_now);
        _promotion ??= new PgdatPromotion[_topology.Nodes.Count];
        // The run's sysctls hold from its start: the mode was written at time 0.
        var pgdat = _promotion[_node] ??= new PgdatPromotion(0);
        var freeSpace = MisplacedFolio.FreeSpaceEnough(numab.Setup, numab.Views, _node);
        // numa_hint_fault_latency runs only past the free-space test: a page promoted for room keeps its scan time.
        var latency = freeSpace ? 0 : mm.Numa!.HintFaultLatency(_hintVpn, pte.Pfn, nowMs);
        var pages = 1 << _hintOrder;
        var verdict = pgdat.Judge(nowMs, latency, freeSpace, pages, numab.Promotion, numab.Sysctls.ScanPeriodMaxMs, mm.Mode.PageShift);
        switch (verdict)
        {
            case PromotionVerdict.FreeSpace:
                NodeStats.Promotion(_node, NodeStatItem.PgpromoteCandidateNrl, pages);
                return true;
            case PromotionVerdict.Cold:
                return false;
            default:
                NodeStats.Promotion(_node, NodeStatItem.PgpromoteCandidate, pages);
                return verdict == PromotionVerdict.Candidate;
        }
    }

    /// <summary>
    /// task_numa_fault's first test: the faults on a page of a lower tier are no placement statistics in the memory
    /// tiering mode, nor otherwise while the page has no last cpupid.
    /// </summary>
    private void TaskNumaFault(AddressSpace mm, int memNode, int pages, bool migrated, bool migrateFailed)
    {
        var numab = NumaBalancing!;
        if (!numab.Tiers.IsTopTier(memNode) && (numab.Tiering || !_hintCpupidValid))
        {
            return;
        }
        mm.Numa!.Fault(_now, mm.ResidentPages, memNode, pages, _hintLocal, migrated, migrateFailed, NearestCpuNode);
    }

    /// <summary>The migration's steps, asked of the driver as the fault handler's own.</summary>
    private FaultStep ForwardMigration(MigrateStep step)
    {
        _now = step.Now;
        switch (step.Kind)
        {
            case MigrateStepKind.Allocate:
                _state = State.MigratePage;
                Request = _migration!.Request;
                return new FaultStep(FaultStepKind.Allocate, _now);
            case MigrateStepKind.Shootdown:
                return Shootdown(_migration!.FlushVpns, State.MigrateFlushed);
            case MigrateStepKind.Free:
                _frees.Clear();
                _frees.Add(_migration!.Freed);
                return FreeThen(State.MigrateFreed);
            default:
                return _explicitMigration ? OnPageMoved(_migration!.Outcome) : OnMigrated(_migration!.Outcome);
        }
    }

    private FaultStep OnMigratePage(AllocationStep page) => ForwardMigration(_migration!.Resume(_now, page));

    private FaultStep OnMigrateStep() => ForwardMigration(_migration!.Resume(_now));

    private FaultStep OnMigrated(MigrateOutcome outcome)
    {
        if (!outcome.Migrated)
        {
            return NumaHintMap(migrateFailed: true);
        }
        var mm = _task!.Mm!;
        var pages = 1 << outcome.Order;
        NodeStats.Anon(outcome.OldZone, -pages);
        NodeStats.Anon(outcome.NewZone, pages);
        if (outcome.Order > 0)
        {
            NodeStats.AnonHuge(ZoneIndex.Node(outcome.OldZone), -pages);
            NodeStats.AnonHuge(ZoneIndex.Node(outcome.NewZone), pages);
        }
        AddedToLru(outcome.NewZone, outcome.NewPfn, outcome.Order, _hintVpn);
        _events.Count(VmEventItem.NumaPagesMigrated, pages);
        NumaHintMigration = outcome;
        var node = ZoneIndex.Node(outcome.NewZone);
        var tiers = NumaBalancing!.Tiers;
        if (!tiers.IsTopTier(ZoneIndex.Node(outcome.OldZone)) && tiers.IsTopTier(node))
        {
            NodeStats.Promotion(node, NodeStatItem.PgpromoteSuccess, pages);
        }
        // folio_migrate_flags: a folio crossing tiers in the memory tiering mode keeps no cpupid (its time meant nothing there).
        if (!NumaBalancing.Tiering || tiers.IsTopTier(ZoneIndex.Node(outcome.OldZone)) == tiers.IsTopTier(node))
        {
            mm.Numa!.FolioMigrated(_hintVpn, outcome.OldPfn, outcome.NewPfn);
        }
        TaskNumaFault(mm, node, pages, migrated: true, migrateFailed: false);
        return NumaHintAccess(mm.PageTable.Walk(_vpn, _walkNodes)!.Value);
    }

    /// <summary>numa_rebuild_single_mapping: the page stays; its entry is accessible again (writable where the mapping is).</summary>
    private FaultStep NumaHintMap(bool migrateFailed)
    {
        var mm = _task!.Mm!;
        var writable = _hintWritable;
        Pte Restore(Pte old) => old with { Flags = (old.Flags & ~PteFlags.ProtNone) | (writable ? PteFlags.Write : PteFlags.None) };
        _ = _hintOrder > 0 ? mm.PageTable.UpdateHuge(_hintVpn, Restore) : mm.PageTable.Update(_vpn, Restore);
        TaskNumaFault(mm, _hintPte.Node, 1 << _hintOrder, migrated: false, migrateFailed);
        return NumaHintAccess(mm.PageTable.Walk(_vpn, _walkNodes)!.Value);
    }

    /// <summary>The access the hinting fault interrupted, to the page where it now is.</summary>
    private FaultStep NumaHintAccess(Pte pte)
    {
        var mm = _task!.Mm!;
        if (pte.Huge)
        {
            _hugeTlb.Insert(mm.Id, _vpn >> _hugeShift, pte);
        }
        else
        {
            _tlb.Insert(mm.Id, _vpn, pte);
        }
        _now += _access.Price(pte.Node, _write, _now);
        _recorder.Record("numa_hint_fault", _now - _start);
        return Done(FaultResult.NumaHint, pte.Node, pte.Pfn, pte.Huge ? mm.Mode.HugeOrder : 0, Gfp.None, pte.Huge);
    }

    /// <summary>numa_nearest_node(nid, N_CPU): the node itself when it has CPUs, else the nearest that has.</summary>
    private int NearestCpuNode(int node) =>
        _topology.Nodes[node].Cpus.Count > 0
            ? node
            : _topology.Nodes.Where(n => n.Cpus.Count > 0).OrderBy(n => _topology.DistanceBetween(node, n.Id)).ThenBy(n => n.Id).First().Id;
}
