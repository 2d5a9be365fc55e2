using NumaSim.Model.PageAlloc;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Cpus;

/// <summary>Tasks written as steps: the CPU carries out what the task's program asks next.</summary>
public sealed partial class CpuActor
{
    private void RunProgram(SimTask task, TaskProgram program)
    {
        var action = program.Next(_now);
        switch (action.Kind)
        {
            case TaskActionKind.Mmap:
                // set_mempolicy gives the task a policy, not its mappings: their faults take the task's policy then.
                var (vpn, pages) = _mmu.Mmap(task, action.Value, MemPolicy.Default, action.Thp, ref _now);
                program.Mapped(vpn, pages);
                Operations++;
                ScheduleStep(task);
                return;
            case TaskActionKind.Write:
            case TaskActionKind.Read:
                Run(task, _mmu.Access(task, action.Value, action.Kind == TaskActionKind.Write, _now));
                return;
            case TaskActionKind.ReadFile:
                ReadFile(task, action, program.Policy);
                return;
            case TaskActionKind.MoveTo when action.Value != CpuId:
                MigrateTo(task, (int)action.Value);
                return;
            case TaskActionKind.MoveTo:
                ScheduleStep(task);
                return;
            case TaskActionKind.MigratePages:
                MigratePages(task, action.Nodes!);
                return;
            case TaskActionKind.Mbind:
                Run(task, _mmu.Mbind(task, action.Policy!, action.Value != 0, _now));
                return;
            case TaskActionKind.MovePages:
                Run(task, _mmu.MovePages(task, action.Nodes!, _now));
                return;
        }
    }
}
