using NumaSim.Model.PageAlloc;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Workloads.Tests.Tasks;

/// <summary>The program counter of a task written as steps: what it asks its CPU to do, in order.</summary>
public sealed class TaskProgramTests
{
    private static readonly MemPolicy Bind1 = new(MemPolicyMode.Bind, [1]);

    [Fact]
    public void Touch_maps_then_writes_each_page_once_in_order_under_the_policy_set_before_it()
    {
        var program = new TaskProgram([new PolicyStep(Bind1, "bind:1"), new TouchStep(3 * 4096, false)]);

        Assert.Equal(new TaskAction(TaskActionKind.Mmap, 3 * 4096), program.Next(0));
        Assert.Equal(Bind1, program.Policy);
        Assert.Throws<InvalidOperationException>(() => program.Next(0));
        program.Mapped(100, 3);
        Assert.Equal(
            [new(TaskActionKind.Write, 100), new(TaskActionKind.Write, 101), new TaskAction(TaskActionKind.Write, 102)],
            Enumerable.Range(0, 3).Select(_ => program.Next(0)));
        Assert.Equal(TaskActionKind.Finished, program.Next(0).Kind);
        Assert.True(program.Finished);
    }

    [Fact]
    public void Access_reads_every_mapping_round_and_round_until_its_time_is_up()
    {
        var program = new TaskProgram([new TouchStep(4096, true), new TouchStep(2 * 4096, false), new MoveToStep(3), new AccessStep(1000, 50)]);
        Assert.True(program.Next(0).Thp);
        program.Mapped(10, 1);
        program.Next(0);
        Assert.False(program.Next(0).Thp);
        program.Mapped(20, 2);
        program.Next(0);
        program.Next(0);

        Assert.Equal(new TaskAction(TaskActionKind.MoveTo, 3), program.Next(5000));
        var reads = new List<long>();
        for (var now = 5000L; ; now += 100)
        {
            var action = program.Next(now);
            if (action.Kind == TaskActionKind.Finished)
            {
                break;
            }
            Assert.Equal(TaskActionKind.Read, action.Kind);
            Assert.Equal(50, program.ThinkNs);
            reads.Add(action.Value);
        }
        // Started at 5000, ends at 6000: reads at 5000, 5100, ..., 5900.
        Assert.Equal([10, 20, 21, 10, 20, 21, 10, 20, 21, 10], reads);
        Assert.Equal(0, program.ThinkNs);
    }

    [Fact]
    public void Read_file_reads_in_64_KiB_calls_to_its_end_and_a_stopped_task_does_nothing_more()
    {
        var program = new TaskProgram([new ReadFileStep("big", (2 << 16) + 4096), new TouchStep(2 * 4096, false), new AccessStep(1000, 0)]);
        Assert.Equal(new TaskAction(TaskActionKind.ReadFile, 0) { File = "big", Length = 1 << 16 }, program.Next(0));
        Assert.Equal(new TaskAction(TaskActionKind.ReadFile, 1 << 16) { File = "big", Length = 1 << 16 }, program.Next(0));
        Assert.Equal(new TaskAction(TaskActionKind.ReadFile, 2 << 16) { File = "big", Length = 4096 }, program.Next(0));
        Assert.Equal(TaskActionKind.Mmap, program.Next(0).Kind);
        program.Mapped(0, 2);
        program.Next(0);
        program.Stop();
        Assert.Equal(TaskActionKind.Finished, program.Next(0).Kind);
        Assert.True(program.Finished);
    }
}
