using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Model.Migrate;

/// <summary>What <see cref="MigrateFolio"/> needs next: the destination page, a TLB shootdown, the source's free, or nothing (done).</summary>
public enum MigrateStepKind
{
    Allocate,
    Shootdown,
    Free,
    Done,
}

/// <summary>One step of <see cref="MigrateFolio"/>, at the clock when it stopped; what it asks for the machine holds until resumed.</summary>
public readonly record struct MigrateStep(MigrateStepKind Kind, long Now);

/// <summary>
/// One folio to move: where it is (pfn, node, order), where it goes, how the destination is allocated, and why.
/// <see cref="Mm"/> and <see cref="Vpn"/> name its one mapping (an anonymous folio of one mm, as the model's are),
/// or none for a folio no page table maps; <see cref="Accessible"/> says a TLB may hold its entry (a PROT_NONE
/// hinting entry is in none: x86's pte_accessible), and <see cref="Writable"/> whether the new entry allows writes.
/// </summary>
public sealed record MigrateRequest(long Pfn, int Node, int Order, int TargetNode, AllocationRequest Destination, MigrateReason Reason)
{
    public AddressSpace? Mm { get; init; }

    public long Vpn { get; init; }

    public bool Accessible { get; init; }

    public bool Writable { get; init; }
}

/// <summary>How one migration ended: moved from (OldPfn, OldZone) to (NewPfn, NewZone), or not (no destination page).</summary>
public readonly record struct MigrateOutcome(bool Migrated, long OldPfn, int OldZone, long NewPfn, int NewZone, int Order, long Start, long End);
