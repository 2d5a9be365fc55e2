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
/// ends the call. The per-node statistics move with each folio.
/// </summary>
public sealed partial class FaultHandler
{
    private readonly List<(long Vpn, Pte Pte, int Order)> _queued = [];
    private readonly List<MigrateOutcome> _moved = [];
    private IReadOnlyList<(int Source, int Dest)> _movePairs = [];
    private int _movePair, _moveNext;
    private bool _explicitMigration;

    /// <summary>The folios the last migrate_pages call moved, in order (the list is reused).</summary>
    public IReadOnlyList<MigrateOutcome> PagesMoved => _moved;

    /// <summary>migrate_pages(2) by the task on itself: the pages on nodes of <paramref name="from"/> go to <paramref name="to"/>.</summary>
    public FaultStep MigratePages(IMmTask task, IReadOnlyCollection<int> from, IReadOnlyCollection<int> to, long now)
    {
        ArgumentNullException.ThrowIfNull(task);
        _task = task;
        _start = now;
        _now = now + _latency.FaultEntryNs;
        _vpn = -1;
        _explicitMigration = true;
        _moved.Clear();
        _movePairs = MigratePagesPlan.Pairs(from, to);
        _movePair = 0;
        return NextSourceNode();
    }

    private FaultStep NextSourceNode()
    {
        while (_movePair < _movePairs.Count)
        {
            QueuePages(_task!.Mm!, _movePairs[_movePair].Source);
            _moveNext = 0;
            if (_queued.Count > 0)
            {
                return NextFolio();
            }
            _movePair++;
        }
        return PagesMigrated();
    }

    /// <summary>queue_pages_range over the whole address space for present folios of the task's own on <paramref name="node"/>.</summary>
    private void QueuePages(AddressSpace mm, int node)
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
                    if (huge.Node == node)
                    {
                        _queued.Add((head, huge, mm.Mode.HugeOrder));
                    }
                    vpn = head + hugePages - 1;
                    continue;
                }
                if (table.Walk(vpn, _walkNodes) is { Present: true, ZeroPage: false } pte && pte.Node == node)
                {
                    _queued.Add((vpn, pte, 0));
                }
            }
        }
        var tableNode = table.Tables.First().Node;
        _now += (examined + PtesPerCacheLine - 1) / PtesPerCacheLine * _latency.Dram(_topology.DistanceBetween(_node, tableNode));
    }

    private FaultStep NextFolio()
    {
        if (_moveNext >= _queued.Count)
        {
            _movePair++;
            return NextSourceNode();
        }
        var (vpn, pte, order) = _queued[_moveNext];
        var dest = _movePairs[_movePair].Dest;
        _vpn = vpn;
        _migration ??= new MigrateFolio(_topology, _latency, _events);
        var request = new MigrateRequest(pte.Pfn, pte.Node, order, dest, MigrationTarget.Destination(order, dest), MigrateReason.Syscall)
        {
            Mm = _task!.Mm,
            Vpn = vpn,
            Accessible = !pte.ProtNone,
            Writable = pte.Writable,
        };
        return ForwardMigration(_migration.Begin(request, _now));
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
        _recorder.Record("migrate_pages", _now - _start);
        return Done(FaultResult.PagesMigrated, -1, -1, 0, Gfp.None, false);
    }
}
