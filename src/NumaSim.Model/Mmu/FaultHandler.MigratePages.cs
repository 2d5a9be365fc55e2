using NumaSim.Model.Migrate;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Mmu;

/// <summary>
/// migrate_pages(2) on the task's own mm (kernel_migrate_pages, do_migrate_pages in mm/mempolicy.c): the source
/// nodes are emptied one at a time in <see cref="MigratePagesPlan"/>'s order; for each, migrate_to_node's
/// queue_pages_range walks every mapping for present pages of the task's own on that node (the walk costs one
/// memory access per cache line of entries, as change_prot_numa's does), and migrate_pages moves each folio with
/// <see cref="MigrateFolio"/> (MR_SYSCALL; a page of the destination node only, reclaim allowed there:
/// <see cref="MigrationTarget"/>). Each page moved is pgmigrate_success (numa_pages_migrated is NUMA balancing's
/// alone); a folio that finds no page on its destination is pgmigrate_fail and, as -ENOMEM does in the kernel,
/// ends the call. The per-node statistics move with each folio. mbind(MPOL_MF_MOVE) and move_pages(2) queue their
/// folios their own way (FaultHandler.Mbind.cs, FaultHandler.MovePages.cs) and move them here.
/// </summary>
public sealed partial class FaultHandler
{
    private readonly List<QueuedFolio> _queued = [];
    private readonly List<MigrateOutcome> _moved = [];
    private readonly HashSet<long> _movedTo = [];
    private IReadOnlyList<(int Source, int Dest)> _movePairs = [];
    private int _movePair, _moveNext;
    private bool _explicitMigration;
    private ExplicitMigration _explicitCall;

    /// <summary>The folios the last migrate_pages, mbind or move_pages call moved, in order (the list is reused).</summary>
    public IReadOnlyList<MigrateOutcome> PagesMoved => _moved;

    /// <summary>migrate_pages(2) by the task on itself: the pages on nodes of <paramref name="from"/> go to <paramref name="to"/>.</summary>
    public FaultStep MigratePages(IMmTask task, IReadOnlyCollection<int> from, IReadOnlyCollection<int> to, long now)
    {
        BeginExplicitMigration(task, ExplicitMigration.MigratePages, now);
        _movePairs = MigratePagesPlan.Pairs(from, to);
        _movePair = 0;
        return NextSourceNode();
    }

    private void BeginExplicitMigration(IMmTask task, ExplicitMigration call, long now)
    {
        ArgumentNullException.ThrowIfNull(task);
        _task = task;
        _start = now;
        _now = now + _latency.FaultEntryNs;
        _vpn = -1;
        _explicitMigration = true;
        _explicitCall = call;
        _moved.Clear();
        _movedTo.Clear();
        _queued.Clear();
        _moveNext = 0;
    }

    private FaultStep NextSourceNode()
    {
        while (_movePair < _movePairs.Count)
        {
            var (source, dest) = _movePairs[_movePair];
            QueuePages(_task!.Mm!, node => node == source, (order, _) => (dest, MigrationTarget.Destination(order, dest)));
            _moveNext = 0;
            if (_queued.Count > 0)
            {
                return NextFolio();
            }
            _movePair++;
        }
        return PagesMigrated();
    }

    /// <summary>
    /// queue_pages_range over the whole address space: the present folios of the task's own whose node
    /// <paramref name="required"/> takes (queue_folio_required), each with where it goes.
    /// </summary>
    private void QueuePages(AddressSpace mm, Func<int, bool> required, Func<int, long, (int Target, AllocationRequest Destination)> destination)
    {
        _queued.Clear();
        var table = mm.PageTable;
        var hugePages = mm.Mode.HugePages;
        var examined = 0L;
        foreach (var vma in mm.Vmas)
        {
            for (var vpn = vma.StartVpn; vpn < vma.EndVpn; vpn++)
            {
                examined++;
                var head = vpn & ~(long)(hugePages - 1);
                if (table.HugeLeaf(head) is { } huge)
                {
                    if (required(huge.Node))
                    {
                        var (target, request) = destination(mm.Mode.HugeOrder, head);
                        _queued.Add(new QueuedFolio(head, huge, mm.Mode.HugeOrder, target, request));
                    }
                    vpn = head + hugePages - 1;
                    continue;
                }
                if (table.Walk(vpn, _walkNodes) is { Present: true, ZeroPage: false } pte && required(pte.Node))
                {
                    var (target, request) = destination(0, vpn);
                    _queued.Add(new QueuedFolio(vpn, pte, 0, target, request));
                }
            }
        }
        ChargeWalk(mm, examined);
    }

    /// <summary>A walk over <paramref name="entries"/> page-table entries: one memory access per cache line of them.</summary>
    private void ChargeWalk(AddressSpace mm, long entries)
    {
        var tableNode = mm.PageTable.Tables.First().Node;
        _now += (entries + PtesPerCacheLine - 1) / PtesPerCacheLine * _latency.Dram(_topology.DistanceBetween(_node, tableNode));
    }

    private FaultStep NextFolio()
    {
        if (_moveNext >= _queued.Count)
        {
            return QueueEmpty();
        }
        var folio = _queued[_moveNext];
        _vpn = folio.Vpn;
        _migration ??= new MigrateFolio(_topology, _latency, _events);
        var reason = _explicitCall == ExplicitMigration.Mbind ? MigrateReason.MempolicyMbind : MigrateReason.Syscall;
        var request = new MigrateRequest(folio.Pte.Pfn, folio.Pte.Node, folio.Order, folio.Target, folio.Destination, reason)
        {
            Mm = _task!.Mm,
            Vpn = folio.Vpn,
            Accessible = !folio.Pte.ProtNone,
            Writable = folio.Pte.Writable,
        };
        return ForwardMigration(_migration.Begin(request, _now));
    }

    /// <summary>The queued folios are all moved: the call queues its next batch, or ends.</summary>
    private FaultStep QueueEmpty()
    {
        _queued.Clear();
        switch (_explicitCall)
        {
            case ExplicitMigration.MigratePages:
                _movePair++;
                return NextSourceNode();
            case ExplicitMigration.MovePages:
                return NextMovePagesBatch();
            default:
                return PagesMigrated();
        }
    }

    /// <summary>One folio is done: its statistics follow it and the next goes; a folio left where it was ends the call.</summary>
    private FaultStep OnPageMoved(MigrateOutcome outcome)
    {
        if (!outcome.Migrated)
        {
            return PagesMigrated();
        }
        var pages = 1 << outcome.Order;
        NodeStats.Anon(outcome.OldZone, -pages);
        NodeStats.Anon(outcome.NewZone, pages);
        if (outcome.Order > 0)
        {
            NodeStats.AnonHuge(ZoneIndex.Node(outcome.OldZone), -pages);
            NodeStats.AnonHuge(ZoneIndex.Node(outcome.NewZone), pages);
        }
        if (_movedTo.Remove(outcome.OldPfn))
        {
            // A folio this call moved already (move_pages sends a huge folio back and forth): the page it had is freed
            // before the call's new folios reach the LRU, so it never joins it.
            _newFolios.Remove(outcome.OldPfn);
        }
        _movedTo.Add(outcome.NewPfn);
        AddedToLru(outcome.NewZone, outcome.NewPfn, outcome.Order, _vpn);
        _task!.Mm!.Numa?.FolioMigrated(_vpn, outcome.OldPfn, outcome.NewPfn);
        _moved.Add(outcome);
        _moveNext++;
        return NextFolio();
    }

    private FaultStep PagesMigrated()
    {
        _explicitMigration = false;
        _queued.Clear();
        _recorder.Record(_explicitCall switch
        {
            ExplicitMigration.Mbind => "mbind",
            ExplicitMigration.MovePages => "move_pages",
            _ => "migrate_pages",
        }, _now - _start);
        return Done(FaultResult.PagesMigrated, -1, -1, 0, Gfp.None, false);
    }

    /// <summary>A folio an explicit migration is to move: where it is mapped, its entry, and where it goes.</summary>
    private readonly record struct QueuedFolio(long Vpn, Pte Pte, int Order, int Target, AllocationRequest Destination);

    /// <summary>The system call that moves the task's pages.</summary>
    private enum ExplicitMigration
    {
        MigratePages,
        Mbind,
        MovePages,
    }
}
