using NumaSim.Actors.Engine;
using NumaSim.Actors.Messages;
using NumaSim.Model.Migrate;
using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sched;
using NumaSim.Model.Tiering;
using NumaSim.Model.Topology;
using NumaSim.Telemetry.Tracing;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// Automatic NUMA balancing on the CPU that runs the task (kernel.numa_balancing 1, 2 or 3): this CPU owns the task's
/// page table while it runs it, so the task's ticks, its scan (task_numa_work) and its hinting faults run here, on
/// this CPU's simulated time, through the fault handler; a migration's destination page comes from the allocator
/// and its source goes back through this CPU's lists to its zone, as every free does. Each migration is a span:
/// mm.promote for a page promoted from a lower memory tier, mm.migrate for any other.
/// </summary>
public sealed partial class CpuActor
{
    private void EnableNumaBalancing(Scenario scenario, PageAllocatorSetup setup)
    {
        if (scenario.Sysctl.NumaBalancing != 0)
        {
            _mmu.NumaBalancing = new NumaBalancingContext((NumaBalancingMode)scenario.Sysctl.NumaBalancing, scenario.Sysctl.NumaBalancingScan, setup, zone => Views[zone])
            {
                Tiers = MemoryTiers.Establish(Topology),
                Promotion = scenario.Sysctl.NumaPromotion,
            };
        }
    }

    /// <summary>task_tick_numa before the task's step: when its scan is due, the scan runs first and the step after it.</summary>
    private bool TryNumaScan(SimTask task)
    {
        if (_mmu.NumaBalancing is null || !_mmu.NumaTick(task, _now))
        {
            return false;
        }
        Run(task, _mmu.TaskNumaWork(task, _now));
        return true;
    }

    /// <summary>update_scan_period as the task leaves for <paramref name="target"/>.</summary>
    private void NumaTaskLeaving(SimTask task, int target) =>
        task.Mm?.Numa?.Moved(NodeId, Topology.NodeOfCpu(target), task.Mm.ResidentPages);

    /// <summary>A hinting fault is an access that went through the fault handler: the page, wherever it ended, and its migration's span.</summary>
    private void FinishNumaHint(SimTask task, in FaultOutcome outcome)
    {
        RecordAccess(AccessKinds.Walk, outcome.Start, outcome.Node, outcome.Pfn, outcome.Order);
        if (_mmu.NumaHintWakeNode is var wake and >= 0)
        {
            Outbox.Send(ComponentIds.Kswapd(wake), _now + ServiceTrip(wake), NotBefore, new KswapdWake(0, (int)ZoneType.Movable));
        }
        if (_mmu.NumaHintMigration is { Migrated: true } migration && SimSpans.Enabled)
        {
            var tiers = _mmu.NumaBalancing!.Tiers;
            var promoted = !tiers.IsTopTier(_mmu.NumaHintSourceNode) && tiers.IsTopTier(ZoneIndex.Node(migration.NewZone));
            TraceMigration(migration, _mmu.NumaHintSourceNode, promoted ? SpanNames.Promote : SpanNames.Migrate);
        }
        FinishAccess(task);
    }

    private void TraceMigration(in MigrateOutcome migration, int srcNode, string name = SpanNames.Migrate)
    {
        var span = SimSpans.StartRoot(name, Epoch, migration.Start);
        if (span is null)
        {
            return;
        }
        if (span.IsAllDataRequested)
        {
            var dstNode = ZoneIndex.Node(migration.NewZone);
            span.SetTag(SpanAttributeNames.Cpu, CpuId);
            span.SetTag(SpanAttributeNames.SrcNode, srcNode);
            span.SetTag(SpanAttributeNames.DstNode, dstNode);
            span.SetTag(SpanAttributeNames.Distance, Topology.DistanceBetween(srcNode, dstNode));
            span.SetTag(SpanAttributeNames.Pfn, migration.NewPfn);
            span.SetTag(SpanAttributeNames.Order, migration.Order);
        }
        SimSpans.End(span, Epoch, migration.Start, migration.End);
    }
}
