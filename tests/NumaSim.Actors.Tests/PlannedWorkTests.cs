using System.Text.Json.Nodes;
using NumaSim.Actors.Coordination;
using NumaSim.Model.PageAlloc;
using NumaSim.Workloads.Config;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Tests;

/// <summary>The work a scenario plans, against what its runs did (the golden summaries), and the estimate made of it.</summary>
public sealed class PlannedWorkTests
{
    public static TheoryData<string> Shipped() =>
        [.. Directory.EnumerateFiles(Path.Combine(ShippedConfig.Directory, "scenarios"), "*.conf").Select(f => Path.GetFileNameWithoutExtension(f)).Order()];

    [Theory]
    [MemberData(nameof(Shipped))]
    public void A_shipped_scenario_plans_the_operations_its_run_does_within_5_percent(string name)
    {
        var scenario = ScenarioLoader.Load(Path.Combine(ShippedConfig.Directory, "scenarios", name + ".conf"));
        var golden = Path.Combine(RepoRoot(), "tests", "data", "golden", name, "summary.json");
        var summary = JsonNode.Parse(File.ReadAllText(golden))!;
        var done = summary["operations"]!.GetValue<long>();

        var plan = PlannedWork.Of(scenario);
        var planned = plan.Operations;
        if (planned is null)
        {
            // A task that accesses for a simulated time has no count: the scenario's max-time bounds its plan.
            Assert.NotNull(plan.SimulatedNs);
            Assert.InRange(summary["simulated_ns"]!.GetValue<long>(), 1, plan.SimulatedNs.Value);
            return;
        }
        if (summary["errors"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "oom"))
        {
            // A task the OOM killer took stops short of its plan: the estimate is an upper bound there.
            Assert.InRange(done, 1, planned.Value);
            return;
        }
        Assert.InRange((double)planned.Value / done, 0.95, 1.05);
    }

    [Fact]
    public void A_task_that_accesses_for_a_simulated_time_has_no_operation_count_and_max_time_bounds_it()
    {
        var steps = new TaskStream([0], 0, new AccessPattern(AccessPatternKind.Sequential, 0), 0, 0, 0, MemPolicy.Default, 0, 0, 0, 1)
        {
            Steps = [new TouchStep(1 << 20, false), new AccessStep(5_000_000, 1_000)],
        };
        var scenario = new Scenario("steps", 1, TestMachines.TwoNodes(8192), LatencyModel.Default, 0, 0, []) { Tasks = [steps] };

        Assert.Equal(PlannedWork.None, PlannedWork.Of(scenario));
        var bounded = PlannedWork.Of(scenario with { MaxTimeNs = 10_000_000 });
        Assert.Null(bounded.Operations);
        Assert.Equal(0.25, bounded.Done(123, 2_500_000));
        Assert.Equal(TimeSpan.FromSeconds(3), bounded.Remaining(123, 2_500_000, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void The_estimate_follows_whichever_plan_is_further_and_is_none_before_anything_is_done()
    {
        var plan = new PlannedWork(1000, 10_000);

        Assert.Null(plan.Remaining(0, 0, TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(3), plan.Remaining(250, 1_000, TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromSeconds(1), plan.Remaining(100, 5_000, TimeSpan.FromSeconds(1)));
        // Nothing pending any more (the planner's earliest event is long.MaxValue): done.
        Assert.Equal(TimeSpan.Zero, plan.Remaining(900, long.MaxValue, TimeSpan.FromSeconds(1)));
        Assert.Null(PlannedWork.None.Remaining(900, 5_000, TimeSpan.FromSeconds(1)));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NumaSim.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("NumaSim.sln not found above " + AppContext.BaseDirectory);
    }
}
