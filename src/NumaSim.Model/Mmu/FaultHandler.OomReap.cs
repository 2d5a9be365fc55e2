using NumaSim.Model.Kernel;

namespace NumaSim.Model.Mmu;

/// <summary>
/// The OOM killer's victim is a task of this CPU other than the one whose operation is in flight (or none is in
/// flight): it dies as a faulting task does (exit_mmap: every mapping unmapped, the TLBs flushed, then its pages,
/// deposited tables and page tables freed), but on state of its own, so that an operation parked in the allocator
/// (its CPU waits for the OOM killer) is left as it was.
/// </summary>
public sealed partial class FaultHandler
{
    private readonly List<(long Vpn, Pte Pte)> _reapRemoved = [];
    private readonly Dictionary<long, (long Pfn, int Node)> _reapDeposits = [];
    private readonly List<FreedBlock> _reapFrees = [];
    private readonly List<long> _reapSwapFrees = [];
    private IMmTask? _reaped;

    /// <summary>
    /// Kills <paramref name="victim"/> and unmaps all it mapped, printing <paramref name="report"/> at
    /// <paramref name="now"/>; this CPU's TLBs drop its entries at once. Returns the IPIs the other CPUs that may
    /// cache them need (null: none); <see cref="ReapedBlocks"/> follows once they have answered.
    /// </summary>
    public ShootdownRequest? Reap(IMmTask victim, string report, long now)
    {
        ArgumentNullException.ThrowIfNull(victim);
        _reapRemoved.Clear();
        _reapDeposits.Clear();
        OomKill.Kill(victim, _reapRemoved, _reapDeposits);
        _events.CountOomKill();
        _reports.Add(new FaultReport("oom", report, now));
        HasReports = true;
        var mm = victim.Mm!;
        var vpns = TlbVpns(_reapRemoved);
        foreach (var vpn in vpns)
        {
            Invalidate(mm.Id, vpn);
        }
        _reaped = victim;
        var targets = vpns.Length == 0 ? [] : mm.CpusThatMayCache.Where(c => c != _cpu).ToList();
        return targets.Count == 0 ? null : new ShootdownRequest(mm.Id, vpns, targets);
    }

    /// <summary>The swap slots the reaped task's entries held, given back with <see cref="ReapedBlocks"/>.</summary>
    public IReadOnlyList<long> ReapedSwapSlots => _reapSwapFrees;

    /// <summary>The reaped task's blocks, to be freed now that no TLB holds them (the list is reused).</summary>
    public IReadOnlyList<FreedBlock> ReapedBlocks()
    {
        var mm = _reaped!.Mm!;
        _reapFrees.Clear();
        FreeUnmapped(mm, _reapRemoved, _reapDeposits, _reapFrees, _reapSwapFrees);
        FreePageTables(mm, _reapFrees);
        _reaped = null;
        return _reapFrees;
    }
}
