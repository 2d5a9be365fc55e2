using NumaSim.Actors.Coordination;
using NumaSim.Model.PageAlloc;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Tests;

/// <summary>
/// `numasim bench` sets the engine's operations/s against <see cref="ScenarioMachine"/>'s, the same workload in one
/// thread over the model: the comparison means something only if both do the same operations.
/// </summary>
public sealed class ModelOnlyLoopTests
{
    private static Scenario Mixed() => new(
        "mixed", 3, TestMachines.TwoNodes(8192), LatencyModel.Default, 0, 0,
        [
            new WorkloadStream([1, 3], 300, 100, MemPolicy.Default,
            [
                new AllocationKind(3, 0, Gfp.Kernel, 2_000),
                new AllocationKind(1, 1, Gfp.HighUserMovable, 5_000),
            ]),
        ])
    {
        Tasks =
        [
            new TaskStream([0, 2], 512, new AccessPattern(AccessPatternKind.Zipf, 1.2), 0.2, 2_000, 50, MemPolicy.Default, 0, 0, 500, 64),
            new TaskStream([2], 256, new AccessPattern(AccessPatternKind.Random, 0), 0.1, 1_000, 50, new MemPolicy(MemPolicyMode.Interleave, [0, 1]), 0, 300, 0, 32),
            new TaskStream([0, 1], 128, new AccessPattern(AccessPatternKind.Sequential, 0), 0.5, 600, 50, MemPolicy.Default, 200, 0, 0, 16),
        ],
    };

    [Fact]
    public async Task The_model_only_loop_does_the_operations_the_engine_does()
    {
        var engine = await SimulationRunner.RunAsync(Mixed());
        var model = new ScenarioMachine(Mixed());
        model.Run();
        Assert.True(engine.Summary.Complete);
        Assert.Equal(engine.Summary.Operations, model.Operations);
        Assert.Equal(0, model.Failed);
        // 2 x 300 allocations and their frees, 5 tasks' accesses, mm set-ups, munmaps and migrations.
        Assert.True(model.Operations > 2 * 600 + 2 * 2_000 + 1_000 + 2 * 600);
    }

    [Fact]
    public void The_model_only_loop_refuses_what_it_does_not_drive()
    {
        var scripted = Mixed() with { Tasks = [new TaskStream([0], 16, new AccessPattern(AccessPatternKind.Sequential, 0), 0, 1, 0, MemPolicy.Default, 0, 0, 0, 1) { Steps = [new MoveToStep(1)] }] };
        Assert.Throws<ArgumentException>(() => new ScenarioMachine(scripted));
    }
}
