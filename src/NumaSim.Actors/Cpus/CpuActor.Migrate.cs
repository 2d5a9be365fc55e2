using NumaSim.Model.Topology;
using NumaSim.Telemetry.Tracing;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Cpus;

/// <summary>
/// migrate_pages(2), mbind(2) and move_pages(2) as a task's steps: the CPU that runs the task owns its page table, so the call runs here through
/// the fault handler, each destination page from the allocator and each source page back through this CPU's lists
/// to its zone, as the NUMA hinting fault's migration does. Each folio moved is an mm.migrate span.
/// </summary>
public sealed partial class CpuActor
{
    /// <summary>migrate_pages(pid = self, old = every node, new = <paramref name="nodes"/>).</summary>
    private void MigratePages(SimTask task, IReadOnlyList<int> nodes) =>
        Run(task, _mmu.MigratePages(task, Enumerable.Range(0, Topology.Nodes.Count).ToList(), nodes, _now));

    /// <summary>A migrate_pages, mbind or move_pages call is done: each folio it moved is a span.</summary>
    private void FinishMigratePages(SimTask task)
    {
        if (SimSpans.Enabled)
        {
            foreach (var moved in _mmu.PagesMoved)
            {
                TraceMigration(moved, ZoneIndex.Node(moved.OldZone));
            }
        }
        Operations++;
        ScheduleStep(task);
    }
}
