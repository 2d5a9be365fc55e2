using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sched;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Mmu;

/// <summary>
/// Automatic NUMA balancing's scan on the CPU that runs the task (task_tick_numa, task_numa_work in
/// kernel/sched/fair.c; change_prot_numa in mm/mprotect.c): the task's ticks queue the scan, which marks up to
/// scan_size of its resident pages PROT_NONE (numa_pte_updates) and flushes them from every TLB that may hold them,
/// so that the next access to each takes a hinting fault (FaultHandler.NumaHint.cs). The walk costs one memory
/// access per cache line of entries, on the node of the task's page tables, and that runtime pushes the next scan
/// back 32 times as far.
/// </summary>
public sealed partial class FaultHandler
{
    private const int PtesPerCacheLine = 8;

    private readonly List<long> _scanFlush = [];

    /// <summary>Automatic NUMA balancing on this CPU; null while kernel.numa_balancing is 0.</summary>
    public NumaBalancingContext? NumaBalancing { get; set; }

    /// <summary>task_tick_numa for the task about to run its next step: whether its scan (TaskNumaWork) is due now.</summary>
    public bool NumaTick(IMmTask task, long now)
    {
        ArgumentNullException.ThrowIfNull(task);
        // Either mode scans (sched_numa_balancing is on for any of them); change_prot_numa chooses the pages.
        if (NumaBalancing is not { } numab || numab.Mode == NumaBalancingMode.Disabled || task.Mm is not { } mm)
        {
            return false;
        }
        mm.Numa ??= new TaskNumaBalancing(numab.Sysctls, _topology.Nodes.Count, mm.Mode.PageShift, now);
        return mm.Numa.Tick(now, mm.ResidentPages);
    }

    /// <summary>update_scan_period: the task has just moved here from a CPU of <paramref name="srcNode"/>.</summary>
    public void NumaTaskMoved(IMmTask task, int srcNode)
    {
        ArgumentNullException.ThrowIfNull(task);
        task.Mm?.Numa?.Moved(srcNode, _node, task.Mm.ResidentPages);
    }

    /// <summary>task_numa_work: the scan of the task's address space, then the TLB flush of what it marked.</summary>
    public FaultStep TaskNumaWork(IMmTask task, long now)
    {
        ArgumentNullException.ThrowIfNull(task);
        _task = task;
        _start = now;
        _now = now;
        _vpn = -1;
        var mm = task.Mm!;
        var numa = mm.Numa!;
        _scanFlush.Clear();
        numa.Work(now, mm.ResidentPages, mm.Vmas, task.Policy, mm.Mode.HugePages, (_, start, end) => ChangeProtNuma(mm, start, end));
        numa.WorkCost(_now - now);
        return Shootdown(_scanFlush, State.NumaScanFlushed);
    }

    private FaultStep OnNumaScanFlushed()
    {
        _recorder.Record("numa_scan", _now - _start);
        return Done(FaultResult.NumaScanned, -1, -1, 0, Gfp.None, false);
    }

    /// <summary>
    /// change_prot_numa over [start, end): each present entry of a page of the task's own becomes PROT_NONE, except
    /// where it already is, a page already on this node (a single-threaded task's target_node), the shared zero
    /// page, and without NUMA_BALANCING_NORMAL a page of the top tier (the memory tiering mode alone promotes). A
    /// page of a lower tier in the memory tiering mode has the scan's time stamped on it (folio_xchg_access_time).
    /// A transparent huge page's entry (change_huge_pmd) is changed whole and counted in numa_huge_pte_updates too;
    /// the test of the task's node does not apply to it. Returns the entries changed.
    /// </summary>
    private long ChangeProtNuma(AddressSpace mm, long start, long end)
    {
        var table = mm.PageTable;
        var tableNode = table.Tables.First().Node;
        var numab = NumaBalancing!;
        var nowMs = TaskNumaBalancing.JiffiesMs(_now);
        var examined = 0L;
        var updated = 0L;
        var hugeUpdated = 0L;
        var vpn = start;
        Pte Mark(Pte pte)
        {
            examined++;
            if (pte.ZeroPage || pte.ProtNone || pte.Node == _node || (!numab.Normal && numab.Tiers.IsTopTier(pte.Node)))
            {
                return pte;
            }
            if (numab.UsesAccessTime(pte.Node))
            {
                mm.Numa!.MarkAccessTime(vpn, pte.Pfn, nowMs);
            }
            updated++;
            return pte with { Flags = (pte.Flags | PteFlags.ProtNone) & ~PteFlags.Write };
        }
        Pte MarkHuge(Pte pmd)
        {
            examined++;
            if (pmd.ZeroPage || pmd.ProtNone || (!numab.Normal && numab.Tiers.IsTopTier(pmd.Node)))
            {
                return pmd;
            }
            if (numab.UsesAccessTime(pmd.Node))
            {
                mm.Numa!.MarkAccessTime(vpn, pmd.Pfn, nowMs);
            }
            updated += mm.Mode.HugePages;
            hugeUpdated++;
            return pmd with { Flags = (pmd.Flags | PteFlags.ProtNone) & ~PteFlags.Write };
        }
        for (; vpn < end; vpn++)
        {
            if ((vpn & (mm.Mode.HugePages - 1)) == 0 || vpn == start)
            {
                var head = vpn & ~(long)(mm.Mode.HugePages - 1);
                if (table.HugeLeaf(head) is not null)
                {
                    vpn = head;
                    var hugeBefore = hugeUpdated;
                    table.UpdateHuge(head, MarkHuge);
                    if (hugeUpdated != hugeBefore)
                    {
                        _scanFlush.Add(head);
                    }
                    vpn = head + mm.Mode.HugePages - 1;
                    continue;
                }
            }
            var before = updated;
            table.Update(vpn, Mark);
            if (updated != before)
            {
                _scanFlush.Add(vpn);
            }
        }
        _now += (examined + PtesPerCacheLine - 1) / PtesPerCacheLine * _latency.Dram(_topology.DistanceBetween(_node, tableNode));
        if (updated > 0)
        {
            _events.Count(VmEventItem.NumaPteUpdates, updated);
        }
        if (hugeUpdated > 0)
        {
            _events.Count(VmEventItem.NumaHugePteUpdates, hugeUpdated);
        }
        return updated;
    }
}
