using NumaSim.Model.Migrate;

namespace NumaSim.Model.Mmu;

/// <summary>
/// move_pages(2) of every page of the task (kernel_move_pages, do_pages_move in mm/migrate.c): the addresses go in
/// order, the i-th to the (i mod n)-th of the nodes; add_page_for_migration queues a present folio of the task's own
/// that is not on its address's node (a folio already queued is busy: the other pages of a huge folio go with its
/// first), and a change of node flushes the batch so far with do_move_pages_to_node (MR_SYSCALL; a page of that
/// node only, reclaim allowed there: <see cref="MigrationTarget"/>). A huge folio whose addresses ask for several
/// nodes therefore moves once per change, as the kernel's does. The lookups cost one memory access per cache line of
/// entries. A folio that finds no page is pgmigrate_fail and ends the call, as a positive return does.
/// </summary>
public sealed partial class FaultHandler
{
    private IReadOnlyList<int> _movePagesNodes = [];
    private int _movePagesVma;
    private long _movePagesVpn, _movePagesIndex;

    /// <summary>move_pages(pid = self, every page of the task, the i-th to <paramref name="nodes"/>[i mod n], MPOL_MF_MOVE).</summary>
    public FaultStep MovePages(IMmTask task, IReadOnlyList<int> nodes, long now)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Count == 0)
        {
            throw new ArgumentException("move_pages needs at least one node", nameof(nodes));
        }
        BeginExplicitMigration(task, ExplicitMigration.MovePages, now);
        _movePagesNodes = nodes;
        (_movePagesVma, _movePagesVpn, _movePagesIndex) = (0, 0, 0);
        return NextMovePagesBatch();
    }

    /// <summary>The next run of addresses bound for one node, queued; the call ends when no address is left.</summary>
    private FaultStep NextMovePagesBatch()
    {
        var mm = _task!.Mm!;
        var vmas = mm.Vmas;
        while (_movePagesVma < vmas.Count)
        {
            _queued.Clear();
            _moveNext = 0;
            var batchNode = -1;
            var examined = 0L;
            while (_movePagesVma < vmas.Count)
            {
                var vma = vmas[_movePagesVma];
                _movePagesVpn = Math.Max(_movePagesVpn, vma.StartVpn);
                if (_movePagesVpn >= vma.EndVpn)
                {
                    _movePagesVma++;
                    continue;
                }
                var node = _movePagesNodes[(int)(_movePagesIndex % _movePagesNodes.Count)];
                if (batchNode >= 0 && node != batchNode)
                {
                    break;
                }
                batchNode = node;
                examined++;
                AddPageForMigration(mm, _movePagesVpn++, node);
                _movePagesIndex++;
            }
            ChargeWalk(mm, examined);
            if (_queued.Count > 0)
            {
                return NextFolio();
            }
        }
        return PagesMigrated();
    }

    /// <summary>add_page_for_migration: the folio at <paramref name="vpn"/> joins the batch unless it is on <paramref name="node"/> already or queued.</summary>
    private void AddPageForMigration(AddressSpace mm, long vpn, int node)
    {
        var head = vpn & ~(long)(mm.Mode.HugePages - 1);
        if (mm.PageTable.HugeLeaf(head) is { } huge)
        {
            if (huge.Node != node && !(_queued.Count > 0 && _queued[^1].Vpn == head))
            {
                _queued.Add(new QueuedFolio(head, huge, mm.Mode.HugeOrder, node, MigrationTarget.Destination(mm.Mode.HugeOrder, node)));
            }
            return;
        }
        if (mm.PageTable.Walk(vpn, _walkNodes) is { Present: true, ZeroPage: false } pte && pte.Node != node)
        {
            _queued.Add(new QueuedFolio(vpn, pte, 0, node, MigrationTarget.Destination(0, node)));
        }
    }
}
