using NumaSim.Model.Mmu;
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
                var mm = task.Mm!;
                var pages = (action.Value + _topology.Arch.PageSize - 1) >> _topology.Arch.PageShift;
                _now += _latency.FaultEntryNs;
                program.Mapped(mm.Mmap(pages, Protection.ReadWrite, program.Policy, action.Thp ? mm.Mode.HugePages : 1, action.Thp), pages);
                Operations++;
                ScheduleStep(task);
                return;
            case TaskActionKind.Write:
            case TaskActionKind.Read:
                Access(task, action.Value, action.Kind == TaskActionKind.Write);
                return;
            case TaskActionKind.MoveTo when action.Value != _cpu:
                MigrateTo(task, (int)action.Value);
                return;
            case TaskActionKind.MoveTo:
                ScheduleStep(task);
                return;
        }
    }
}
