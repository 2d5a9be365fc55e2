using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Migrate;

/// <summary>
/// migrate_pages for one folio (mm/migrate.c, migrate_pages_batch), as a step machine: the destination page is
/// allocated by the request's gfp (for NUMA balancing alloc_misplaced_dst_folio: the target node only, no
/// reclaim); migrate_folio_unmap takes the folio's entry out of every TLB that may hold it (try_to_migrate_one's
/// flush; a PROT_NONE hinting entry is in none); move_to_new_folio copies the data, which costs
/// numasim.latency.migrate-copy per page scaled by the distance between the two nodes; remove_migration_ptes maps the
/// new folio where the old one was; and the old folio is freed to its zone. pgmigrate_success counts the pages
/// moved, pgmigrate_fail those that found no destination (thp_migration_success and thp_migration_fail the huge folios
/// among them). The caller counts what its reason adds (numa_pages_migrated, pgdemote_*) and moves the per-node
/// statistics with the folio. Reused by every migration:
/// NUMA balancing's hinting fault, mbind and move_pages, demotion and promotion.
/// </summary>
public sealed class MigrateFolio(MachineTopology topology, LatencyModel latency, VmEventCounters events)
{
    private readonly long[] _flush = new long[1];
    private MigrateRequest? _request;
    private AllocationStep _page;
    private long _now, _start;
    private State _state;

    /// <summary>The destination page the last Allocate step asks for.</summary>
    public AllocationRequest? Request => _request?.Destination;

    /// <summary>The virtual pages of the request's mm the last Shootdown step flushes.</summary>
    public IReadOnlyList<long> FlushVpns => _flush;

    /// <summary>The source folio the last Free step gives back.</summary>
    public FreedBlock Freed { get; private set; }

    /// <summary>How the last migration ended (after a Done step).</summary>
    public MigrateOutcome Outcome { get; private set; }

    /// <summary>The migration in flight, if any.</summary>
    public MigrateRequest? InFlight => _state == State.Idle ? null : _request;

    public MigrateStep Begin(MigrateRequest request, long now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_state != State.Idle)
        {
            throw new InvalidOperationException("a migration is already in flight");
        }
        _request = request;
        _start = now;
        _now = now + latency.PcpAllocNs;
        _state = State.Destination;
        return new MigrateStep(MigrateStepKind.Allocate, _now);
    }

    /// <summary>The destination page, or none (the step is not Allocated).</summary>
    public MigrateStep Resume(long now, AllocationStep page)
    {
        if (_state != State.Destination)
        {
            throw new InvalidOperationException($"the migration waits for {_state}, not a page");
        }
        _now = now;
        var request = _request!;
        if (page.Kind != AllocationStepKind.Allocated)
        {
            events.Count(VmEventItem.PgmigrateFail, 1L << request.Order);
            if (request.Order > 0)
            {
                events.Count(VmEventItem.ThpMigrationFail);
            }
            return End(migrated: false);
        }
        _page = page;
        if (request.Mm is not null && request.Accessible)
        {
            _flush[0] = request.Vpn;
            _state = State.Unmapped;
            return new MigrateStep(MigrateStepKind.Shootdown, _now);
        }
        return Move();
    }

    /// <summary>The last Shootdown's acknowledgements are in, or the last Free is done.</summary>
    public MigrateStep Resume(long now)
    {
        _now = now;
        return _state switch
        {
            State.Unmapped => Move(),
            State.SourceFreed => Finish(),
            _ => throw new InvalidOperationException($"the migration waits for {_state}, not a flush or a free"),
        };
    }

    /// <summary>move_to_new_folio and remove_migration_ptes, then the old folio goes back to its zone.</summary>
    private MigrateStep Move()
    {
        var request = _request!;
        var pages = 1L << request.Order;
        var target = ZoneIndex.Node(_page.Zone);
        _now += latency.MigrateCopyNs * pages * topology.DistanceBetween(request.Node, target) / MachineTopology.LocalDistance;
        if (request.Mm is { } mm)
        {
            Pte Remap(Pte old) => old with
            {
                Pfn = _page.Pfn,
                Node = target,
                Flags = (old.Flags & ~(PteFlags.ProtNone | PteFlags.Write)) | PteFlags.Accessed | (request.Writable ? PteFlags.Write : PteFlags.None),
            };
            var remapped = request.Order > 0 ? mm.PageTable.UpdateHuge(request.Vpn, Remap) : mm.PageTable.Update(request.Vpn, Remap);
            if (remapped is null)
            {
                throw new InvalidOperationException($"0x{request.Vpn << mm.Mode.PageShift:x} maps nothing to migrate");
            }
        }
        Freed = new FreedBlock(ZoneOfPfn(request.Node, request.Pfn), request.Pfn, request.Order, MigrateType.Movable, PageTable: false);
        _state = State.SourceFreed;
        return new MigrateStep(MigrateStepKind.Free, _now);
    }

    private MigrateStep Finish()
    {
        events.Count(VmEventItem.PgmigrateSuccess, 1L << _request!.Order);
        if (_request.Order > 0)
        {
            events.Count(VmEventItem.ThpMigrationSuccess);
        }
        return End(migrated: true);
    }

    private MigrateStep End(bool migrated)
    {
        var request = _request!;
        Outcome = migrated
            ? new MigrateOutcome(true, request.Pfn, Freed.Zone, _page.Pfn, _page.Zone, request.Order, _start, _now)
            : new MigrateOutcome(false, request.Pfn, ZoneOfPfn(request.Node, request.Pfn), -1, -1, request.Order, _start, _now);
        _state = State.Idle;
        return new MigrateStep(MigrateStepKind.Done, _now);
    }

    private int ZoneOfPfn(int node, long pfn) => topology.ZoneOfPfn(node, pfn);

    private enum State
    {
        Idle,
        Destination,
        Unmapped,
        SourceFreed,
    }
}
