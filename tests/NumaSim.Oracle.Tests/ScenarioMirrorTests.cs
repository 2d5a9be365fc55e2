using NumaSim.Oracle.Guest;
using NumaSim.Workloads.Config;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Oracle.Tests;

public sealed class ScenarioMirrorTests
{
    private const string Topology = """
        topology {
          nodes = [ { id = 0, cpus = "0-1", memory = 512M }, { id = 1, cpus = "2-3", memory = 512M } ]
          distance = [[10, 21], [21, 10]]
        }
        """;

    [Fact]
    public void Steps_become_guest_arguments_one_task_per_cpu_and_read_files_go_on_the_disk()
    {
        var scenario = ScenarioLoader.LoadText("s.conf", $$"""
            numasim {
              {{Topology}}
              sysctl { numa-balancing = 2, demotion-enabled = on, zone-reclaim-mode = 1, swappiness = 10, watermark-boost-factor = 0 }
              workload.tasks = [ { cpus = "0,2", steps = [
                { policy = "interleave:0-1" }, { read-file = 3M, file = "big" }, { touch = 1G, thp = on }, { move-to = 3 }, { migrate-to = "last" },
                { access = 5s, think-time = 10us }, { read-file = 1M, file = "big" }, { read-file = 2M, file = "small" } ] } ]
            }
            """);

        var mirror = ScenarioMirror.Of(scenario);
        var plan = mirror.Plan;

        string[] steps = ["policy=interleave:0-1", "read=/mnt/big:3145728", "touch=1073741824:thp", "move-to=3", "migrate-pages=0-1:1", "access=5000000000:10000", "read=/mnt/big:1048576", "read=/mnt/small:2097152"];
        Assert.Equal([0, 2], plan.Tasks.Select(t => t.Cpu));
        Assert.All(plan.Tasks, t => Assert.Equal(steps, t.Steps));
        Assert.Equal($"0 {string.Join(' ', steps)}\n2 {string.Join(' ', steps)}\n", plan.TasksFile());
        Assert.Equal(new Dictionary<string, long> { ["big"] = 3L << 20, ["small"] = 2L << 20 }, plan.Files);
        Assert.Equal("/proc/sys/kernel/numa_balancing 2\n/sys/kernel/mm/numa/demotion_enabled true\n/proc/sys/vm/zone_reclaim_mode 1\n/proc/sys/vm/swappiness 10\n/proc/sys/vm/watermark_boost_factor 0\n",
            plan.SysctlFile());
        Assert.DoesNotContain(mirror.NotMirrored, n => n.StartsWith("read-file", StringComparison.Ordinal));
        Assert.Contains(mirror.NotMirrored, n => n.StartsWith("access steps", StringComparison.Ordinal));
        Assert.DoesNotContain(mirror.NotMirrored, n => n.Contains("numa-balancing-scan", StringComparison.Ordinal));
        var scan = ScenarioMirror.Of(scenario with { Sysctl = scenario.Sysctl with { NumaBalancingScan = new(2000, 1000, 60000, 256) } });
        Assert.Contains(scan.NotMirrored, n => n.StartsWith("numasim.sysctl.numa-balancing-scan", StringComparison.Ordinal));
        var promotion = ScenarioMirror.Of(scenario with { Sysctl = scenario.Sysctl with { NumaPromotion = new(500, 256) } });
        Assert.EndsWith("/proc/sys/vm/watermark_boost_factor 0\n/proc/sys/kernel/numa_balancing_promote_rate_limit_MBps 256\n"
            + "/sys/kernel/debug/sched/numa_balancing/hot_threshold_ms 500\n", promotion.Plan.SysctlFile(), StringComparison.Ordinal);
    }

    [Fact]
    public void Tasks_without_steps_and_kernel_streams_are_named_and_left_out_of_both_sides()
    {
        var scenario = ScenarioLoader.LoadText("s.conf", $$"""
            numasim {
              {{Topology}}
              workload {
                tasks = [ { cpus = "1", working-set = 1M, pattern = "sequential", accesses = 10 }, { cpus = "0", steps = [ { touch = 1M } ] } ]
                kernel = [ { cpus = "0", operations = 10, mix = [ { op = "kmalloc", size = 64, weight = 1 } ] } ]
              }
            }
            """);

        var mirror = ScenarioMirror.Of(scenario);
        var simulated = ScenarioMirror.Simulated(scenario, scenario.Topology, withTasks: true);

        Assert.Equal([0], mirror.Plan.Tasks.Select(t => t.Cpu));
        Assert.Contains(mirror.NotMirrored, n => n.StartsWith("the task on CPUs 1 has no steps", StringComparison.Ordinal));
        Assert.Contains(mirror.NotMirrored, n => n.StartsWith("kernel allocation streams", StringComparison.Ordinal));
        Assert.Single(simulated.Tasks);
        Assert.False(simulated.Kernel.Active);
        Assert.Empty(ScenarioMirror.Simulated(scenario, scenario.Topology, withTasks: false).Tasks);
    }

    [Fact]
    public void A_working_set_task_that_first_touches_its_memory_runs_as_policy_and_touch_on_both_sides()
    {
        var scenario = ScenarioLoader.LoadText("s.conf", $$"""
            numasim {
              {{Topology}}
              workload.tasks = [
                { cpus = "0", working-set = 2M, pattern = "sequential", write-ratio = 1, accesses = 1024, policy = "interleave:all" }
                { cpus = "1", working-set = 2M, pattern = "sequential", write-ratio = 0.5, accesses = 1024 }
              ]
            }
            """);

        var mirror = ScenarioMirror.Of(scenario);
        var simulated = ScenarioMirror.Simulated(scenario, scenario.Topology, withTasks: true);

        // interleave:all is given to the guest as numbers; a half-read task is not mirrored (the zero page).
        var task = Assert.Single(mirror.Plan.Tasks);
        Assert.Equal(0, task.Cpu);
        Assert.Equal(["policy=interleave:0-1", "touch=2097152"], task.Steps);
        Assert.Contains(mirror.NotMirrored, n => n.StartsWith("the task on CPUs 1 has no steps", StringComparison.Ordinal) && n.Contains("zero page", StringComparison.Ordinal));
        var steps = Assert.Single(simulated.Tasks).Steps;
        Assert.Equal(new TouchStep(2 << 20, false), steps[1]);
    }

    [Fact]
    public void The_newer_policies_go_to_set_mempolicy_by_name_and_their_weights_to_sysfs()
    {
        var plan = ScenarioMirror.Of(ScenarioLoader.LoadText("s.conf", $$"""
            numasim {
              {{Topology}}
              sysctl.weighted-interleave = { 0 = 3 }
              workload.tasks = [ { cpus = "0", steps = [ { policy = "weighted-interleave:all" }, { policy = "preferred-many:0-1" } ] } ]
            }
            """)).Plan;

        Assert.Equal(["policy=weighted-interleave:0-1", "policy=preferred-many:0-1"], Assert.Single(plan.Tasks).Steps);
        Assert.EndsWith("/proc/sys/vm/watermark_boost_factor 15000\n/sys/kernel/mm/mempolicy/weighted_interleave/node0 3\n", plan.SysctlFile(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_time_limit_grows_with_the_memory_touched_and_the_access_time()
    {
        var small = PlanOf("{ touch = 1M }");
        var large = PlanOf("{ touch = 4G }, { access = 30s }");

        Assert.InRange((large.TimeLimit() - small.TimeLimit()).TotalSeconds, (2 * ((15 * 4) + 30)) - 1, 2 * ((15 * 4) + 30));
    }

    [Fact]
    public void Mbind_and_move_pages_steps_become_their_guest_arguments()
    {
        var plan = PlanOf("""{ touch = 1M }, { mbind = "bind:last", move = on }, { mbind = "interleave:all" }, { move-pages = "1,0" }""");

        Assert.Equal(["touch=1048576", "mbind-move=bind:1", "mbind=interleave:0-1", "move-pages=0-1"], Assert.Single(plan.Tasks).Steps);
    }

    private static GuestPlan PlanOf(string steps) => ScenarioMirror.Of(ScenarioLoader.LoadText("s.conf", $$"""
        numasim {
          {{Topology}}
          workload.tasks = [ { cpus = "0", steps = [ {{steps}} ] } ]
        }
        """)).Plan;
}
