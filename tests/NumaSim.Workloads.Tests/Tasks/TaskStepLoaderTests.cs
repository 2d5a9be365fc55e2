using NumaSim.Model.Kernel;
using NumaSim.Model.PageAlloc;
using NumaSim.Workloads.Config;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Workloads.Tests.Tasks;

/// <summary>Tasks written as steps and numasim.sysctl (docs/configuration.md), on the two-socket machine.</summary>
public sealed class TaskStepLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("numasim-steps-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A scenario of these lines inside numasim { }, on two-socket; the first line is line 3.</summary>
    private string Scenario(params string[] lines)
    {
        var path = Path.Combine(_dir, "steps.conf");
        File.WriteAllText(path, "numasim {\n  topology = \"two-socket\"\n" + string.Concat(lines.Select(l => "  " + l + "\n")) + "}\n");
        return path;
    }

    private ConfigException Rejected(params string[] lines) => Assert.Throws<ConfigException>(() => ScenarioLoader.Load(Scenario(lines)));

    [Fact]
    public void The_contracts_example_parses_to_its_steps_in_order()
    {
        var scenario = ScenarioLoader.Load(Scenario(
            "workload.tasks = [ { cpus = \"0\", steps = [",
            "  { policy = \"bind:0\" }",
            "  { read-file = 3584M, file = \"big\" }",
            "  { touch = 1G, thp = on }",
            "  { move-to = 2 }",
            "  { access = 5s, think-time = 10us }",
            "] } ]"));

        var task = Assert.Single(scenario.Tasks);
        Assert.True(task.HasSteps);
        Assert.Equal([0], task.Cpus);
        Assert.Collection(task.Steps,
            s => Assert.Equal(("bind:0", MemPolicyMode.Bind), (((PolicyStep)s).Text, ((PolicyStep)s).Policy.Mode)),
            s => Assert.Equal(new ReadFileStep("big", 3584L << 20), s),
            s => Assert.Equal(new TouchStep(1L << 30, true), s),
            s => Assert.Equal(new MoveToStep(2), s),
            s => Assert.Equal(new AccessStep(5_000_000_000, 10_000), s));
        Assert.True(task.Moves);
        Assert.Equal([0, 2], task.CpusVisited);
        Assert.Equal(1L << 18, task.WorkingSetPages);
        Assert.Empty(scenario.NotModelled);
    }

    [Fact]
    public void A_touch_of_part_of_a_page_maps_the_whole_page()
    {
        var task = Assert.Single(ScenarioLoader.Load(Scenario("workload.tasks = [ { cpus = \"1\", steps = [ { touch = 5000 } ] } ]")).Tasks);
        Assert.Equal(new TouchStep(8192, false), Assert.Single(task.Steps));
    }

    [Fact]
    public void Migrate_to_takes_a_nodelist_as_migrate_pages_new_nodes()
    {
        var task = Assert.Single(ScenarioLoader.Load(Scenario("workload.tasks = [ { cpus = \"0\", steps = [ { touch = 1M }, { migrate-to = \"last\" } ] } ]")).Tasks);
        var step = Assert.IsType<MigrateToStep>(task.Steps[1]);
        Assert.Equal([1], step.Nodes);
        Assert.Equal("last", step.Text);
    }

    [Fact]
    public void Mbind_takes_a_policy_and_move_and_move_pages_a_nodelist()
    {
        var task = Assert.Single(ScenarioLoader.Load(Scenario(
            "workload.tasks = [ { cpus = \"0\", steps = [ { touch = 1M }, { mbind = \"bind:last\", move = on }, { mbind = \"preferred:0\" }, { move-pages = \"1,0\" } ] } ]")).Tasks);
        var moved = Assert.IsType<MbindStep>(task.Steps[1]);
        Assert.Equal(("bind:1", true, "bind:last"), (moved.Policy.ToString(), moved.Move, moved.Text));
        Assert.False(Assert.IsType<MbindStep>(task.Steps[2]).Move);
        Assert.Equal([0, 1], Assert.IsType<MovePagesStep>(task.Steps[3]).Nodes);
    }

    [Theory]
    [InlineData("{ touch = 1G, policy = \"local\" }", "a step does one thing; found policy and touch")]
    [InlineData("{ think-time = 1us }", "a step needs one of policy, read-file, touch, move-to, migrate-to, mbind, move-pages, access")]
    [InlineData("{ mbind = \"bind:7\" }", "7")]
    [InlineData("{ mbind = \"bind:1\", move = maybe }", "expected on/off")]
    [InlineData("{ mbind = \"bind:1\", think-time = 1us }", "think-time")]
    [InlineData("{ move-pages = \"0-x\" }", "expected a nodelist")]
    [InlineData("{ migrate-to = 7 }", "node 7 is not in the topology")]
    [InlineData("{ migrate-to = \"0-x\" }", "expected a nodelist")]
    [InlineData("{ migrate-to = 1, think-time = 1us }", "think-time")]
    [InlineData("{ touch = 1G, thp = maybe }", "expected on/off")]
    [InlineData("{ move-to = 16 }", "CPU 16 is not in the topology")]
    [InlineData("{ access = 0s }", "must be a duration greater than 0")]
    [InlineData("{ policy = \"bind:7\" }", "7")]
    [InlineData("{ read-file = 1M, file = \"../etc/passwd\" }", "a file name is letters")]
    [InlineData("{ touch = 1G, think-time = 1us }", "think-time")]
    public void A_bad_step_is_one_error_naming_its_line_and_key(string step, string problem)
    {
        var e = Rejected("workload.tasks = [ { cpus = \"0\", steps = [", "  " + step, "] } ]");
        Assert.Equal(4, e.Line);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_has_either_steps_or_the_working_set_keys()
    {
        var e = Rejected("workload.tasks = [ { cpus = \"0\", working-set = 1M, steps = [ { touch = 1M } ] } ]");
        Assert.Contains("working-set", e.Message, StringComparison.Ordinal);
        Assert.Contains("at least one step", Rejected("workload.tasks = [ { cpus = \"0\", steps = [] } ]").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sysctl_keys_load_with_the_kernels_defaults_and_ranges()
    {
        Assert.Equal(SysctlSettings.Default, ScenarioLoader.Load(Scenario()).Sysctl);
        var scenario = ScenarioLoader.Load(Scenario("sysctl { numa-balancing = 2, demotion-enabled = on, zone-reclaim-mode = 1, swappiness = 100 }"));
        Assert.Equal(new SysctlSettings(2, true, 1, 100), scenario.Sysctl);
        Assert.Empty(scenario.NotModelled);
        Assert.Contains("swappiness", Rejected("sysctl { swappiness = 201 }").KeyPath, StringComparison.Ordinal);
        Assert.Contains("numa-balancing", Rejected("sysctl { numa-balancing = 4 }").KeyPath, StringComparison.Ordinal);
        Assert.Contains("unknown", Rejected("sysctl { numa_balancing = 1 }").Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Weighted_interleave_weights_load_by_node_and_bad_ones_name_their_line_and_key()
    {
        var scenario = ScenarioLoader.Load(Scenario(
            "sysctl.weighted-interleave = { 1 = 3 }",
            "workload.tasks = [ { cpus = \"0\", steps = [ { policy = \"weighted-interleave:0-1\" }, { policy = \"preferred-many:1\" } ] } ]"));
        Assert.Equal([0, 3], scenario.Sysctl.InterleaveWeights);
        Assert.Equal(1, scenario.AllocatorSetup().InterleaveWeight(0));
        Assert.Equal(3, scenario.AllocatorSetup().InterleaveWeight(1));
        var steps = scenario.Tasks[0].Steps.OfType<PolicyStep>().Select(s => s.Policy.ToString());
        Assert.Equal(["weighted-interleave:0,1", "preferred-many:1"], steps);

        var zero = Rejected("sysctl.weighted-interleave = { 0 = 0 }");
        Assert.Equal(("numasim.sysctl.weighted-interleave.0", 3), (zero.KeyPath, zero.Line));
        Assert.Contains("not a node", Rejected("sysctl.weighted-interleave = { 2 = 1 }").Message, StringComparison.Ordinal);
        Assert.Contains("not a node", Rejected("sysctl.weighted-interleave = { x = 1 }").Message, StringComparison.Ordinal);
        Assert.Contains("expected an object", Rejected("sysctl.weighted-interleave = 3").Message, StringComparison.Ordinal);
        var policy = Rejected("workload.tasks = [ { cpus = \"0\", steps = [ { policy = \"preferred-many\" } ] } ]");
        Assert.Contains("preferred-many needs nodes", policy.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Numa_balancing_1_is_modelled_and_its_scan_knobs_load_in_whole_milliseconds_and_mib()
    {
        var scenario = ScenarioLoader.Load(Scenario("sysctl { numa-balancing = 1, numa-balancing-scan { delay = 2s, period-max = 30s, size = 64M } }"));
        Assert.Equal(new Model.Sched.NumaBalancingSysctls(2000, 1000, 30000, 64), scenario.Sysctl.NumaBalancingScan);
        Assert.Empty(scenario.NotModelled);
        Assert.Contains("whole number of milliseconds", Rejected("sysctl.numa-balancing-scan.delay = 1500us").Message, StringComparison.Ordinal);
        Assert.Contains("MiB", Rejected("sysctl.numa-balancing-scan.size = 100K").Message, StringComparison.Ordinal);
        Assert.Contains("period-min", Rejected("sysctl.numa-balancing-scan.period-max = 500ms").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_tiering_loads_its_hot_threshold_in_whole_milliseconds_and_its_rate_limit_in_mb_per_second()
    {
        Assert.Equal(Model.Sched.NumaPromotionSysctls.Default, ScenarioLoader.Load(Scenario()).Sysctl.NumaPromotion);
        var scenario = ScenarioLoader.Load(Scenario("sysctl { numa-balancing = 3, numa-balancing-hot-threshold = 2s, numa-balancing-promote-rate-limit = 256 }"));
        Assert.Equal(new Model.Sched.NumaPromotionSysctls(2000, 256), scenario.Sysctl.NumaPromotion);
        Assert.Empty(scenario.NotModelled);
        var threshold = Rejected("sysctl.numa-balancing-hot-threshold = 10us");
        Assert.Equal(("numasim.sysctl.numa-balancing-hot-threshold", 3), (threshold.KeyPath, threshold.Line));
        Assert.Contains("whole number of milliseconds", threshold.Message, StringComparison.Ordinal);
        Assert.Contains("numa-balancing-promote-rate-limit", Rejected("sysctl.numa-balancing-promote-rate-limit = -1").KeyPath, StringComparison.Ordinal);
    }
}
