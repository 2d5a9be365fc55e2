using NumaSim.Model.PageAlloc;
using NumaSim.Workloads.Config;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Workloads.Tests.Tasks;

/// <summary>numasim.workload.tasks read through ScenarioLoader.Load on the two-socket machine.</summary>
public sealed class TaskLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("numasim-tasks-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, "tasks.conf");
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        return path;
    }

    /// <summary>A scenario whose workload holds these tasks; the first task line is line 4.</summary>
    private string Scenario(params string[] taskLines) => Write(
        "numasim {\n" +
        "  topology = \"two-socket\"\n" +
        "  workload.tasks = [\n" +
        string.Concat(taskLines.Select(l => "    " + l + "\n")) +
        "  ]\n" +
        "}\n");

    [Fact]
    public void A_task_with_every_key_parses_to_its_stream()
    {
        var scenario = ScenarioLoader.Load(Scenario(
            "{ cpus = \"2-5\", working-set = 8M, pattern = \"zipf:0.9\", write-ratio = 0.25, accesses = 100000,",
            "  think-time = 150ns, policy = \"interleave:0-1\", migrate-every = 1000, mprotect-every = 2000,",
            "  munmap-every = 3000, chunk = 1M }"));

        var task = Assert.Single(scenario.Tasks);
        Assert.Equal([2, 3, 4, 5], task.Cpus);
        Assert.Equal(2048, task.WorkingSetPages); // 8 MiB of 4 KiB pages
        Assert.Equal(new AccessPattern(AccessPatternKind.Zipf, 0.9), task.Pattern);
        Assert.Equal(0.25, task.WriteRatio);
        Assert.Equal(100_000, task.Accesses);
        Assert.Equal(150, task.MeanThinkTimeNs);
        Assert.Equal(MemPolicyMode.Interleave, task.Policy.Mode);
        Assert.Equal([0, 1], task.Policy.Nodes);
        Assert.Equal(1000, task.MigrateEvery);
        Assert.Equal(2000, task.MprotectEvery);
        Assert.Equal(3000, task.MunmapEvery);
        Assert.Equal(256, task.ChunkPages); // 1 MiB
    }

    [Fact]
    public void A_task_with_only_the_required_keys_takes_the_defaults()
    {
        var scenario = ScenarioLoader.Load(Scenario("{ cpus = \"0\", working-set = 8M, accesses = 10 }"));

        var task = Assert.Single(scenario.Tasks);
        Assert.Equal(
            new TaskStream(task.Cpus, 2048, new AccessPattern(AccessPatternKind.Sequential, 0), 0, 10, 0, task.Policy, 0, 0, 0, 64),
            task);
        Assert.Equal([0], task.Cpus);
        Assert.Same(MemPolicy.Default, task.Policy);
    }

    [Fact]
    public void The_default_chunk_is_at_most_the_working_set()
    {
        var scenario = ScenarioLoader.Load(Scenario("{ cpus = \"0\", working-set = 16K, accesses = 1 }"));
        Assert.Equal(4, Assert.Single(scenario.Tasks).ChunkPages);
    }

    [Fact]
    public void Several_tasks_load_in_order_and_a_scenario_without_tasks_has_none()
    {
        var scenario = ScenarioLoader.Load(Scenario(
            "{ cpus = \"0-7\", working-set = 1G, accesses = 1, pattern = \"pointer-chase\" }",
            "{ cpus = \"8,10\", working-set = 64K, accesses = 2, pattern = \"strided:4\", policy = \"bind:1\" }"));
        Assert.Equal(2, scenario.Tasks.Count);
        Assert.Equal(1L << 18, scenario.Tasks[0].WorkingSetPages);
        Assert.Equal(AccessPatternKind.PointerChase, scenario.Tasks[0].Pattern.Kind);
        Assert.Equal([8, 10], scenario.Tasks[1].Cpus);
        Assert.Equal(new AccessPattern(AccessPatternKind.Strided, 4), scenario.Tasks[1].Pattern);
        Assert.Equal(16, scenario.Tasks[1].ChunkPages);
        Assert.Equal("bind:1", scenario.Tasks[1].Policy.ToString());

        Assert.Empty(ScenarioLoader.Load(Write("numasim { topology = \"two-socket\" }")).Tasks);
    }

    [Theory]
    // line 4: "{ cpus = ..., working-set = ..., accesses = ...,", line 5: the key under test
    [InlineData("working-set = 8M, accesses = 1,", "pattern = \"spiral\" }", 5, "pattern", "spiral")]
    [InlineData("working-set = 8M, accesses = 1,", "pattern = \"zipf:1\" }", 5, "pattern", "zipf:1")]
    [InlineData("working-set = 8M, accesses = 1,", "write-ratio = 1.5 }", 5, "write-ratio", "between 0 and 1")]
    [InlineData("working-set = 8M, accesses = 1,", "write-ratio = -0.1 }", 5, "write-ratio", "between 0 and 1")]
    [InlineData("accesses = 1,", "working-set = 0 }", 5, "working-set", "between one page")]
    [InlineData("accesses = 1,", "working-set = 1K }", 5, "working-set", "between one page")]
    [InlineData("working-set = 64K, accesses = 1,", "chunk = 128K }", 5, "chunk", "between one page and the working set")]
    [InlineData("working-set = 64K, accesses = 1,", "chunk = 1K }", 5, "chunk", "between one page and the working set")]
    [InlineData("working-set = 8M, accesses = 1,", "colour = \"red\" }", 5, "colour", "unknown key")]
    [InlineData("working-set = 8M,", "accesses = -5 }", 5, "accesses", "0 or more")]
    [InlineData("working-set = 8M, accesses = 1,", "munmap-every = -1 }", 5, "munmap-every", "0 or more")]
    [InlineData("working-set = 8M, accesses = 1,", "policy = \"bind:2\" }", 5, "policy", "node 2")]
    [InlineData("working-set = 8M, accesses = 1,", "think-time = 5 }", 5, "think-time", "duration")]
    [InlineData("working-set = 8M, accesses = 1,", "chunk = lots }", 5, "chunk", "size")]
    public void A_bad_task_key_names_its_path_and_line(string firstLineRest, string secondLine, int line, string key, string problem)
    {
        var path = Scenario("{ cpus = \"0\", " + firstLineRest, "  " + secondLine);
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Load(path));
        Assert.Equal(path, e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal("numasim.workload.tasks[0]." + key, e.KeyPath);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_task_without_accesses_is_an_error()
    {
        var path = Scenario("{ cpus = \"0\", working-set = 8M }");
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Load(path));
        Assert.Equal("numasim.workload.tasks[0].accesses", e.KeyPath);
        Assert.Contains("missing", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cpu_outside_the_topology_names_the_task_the_line_and_the_cpu()
    {
        var path = Scenario(
            "{ cpus = \"0-3\", working-set = 8M, accesses = 1 }",
            "{ working-set = 8M, accesses = 1,",
            "  cpus = \"12-17\" }");
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Load(path));
        Assert.Equal(6, e.Line);
        Assert.Equal("numasim.workload.tasks[1].cpus", e.KeyPath);
        Assert.Contains("CPU 16 is not in the topology", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Tasks_that_are_not_a_list_are_an_error()
    {
        var path = Write("numasim {\n  topology = \"two-socket\"\n  workload.tasks = 3\n}\n");
        var e = Assert.Throws<ConfigException>(() => ScenarioLoader.Load(path));
        Assert.Equal("numasim.workload.tasks", e.KeyPath);
        Assert.Equal(3, e.Line);
    }
}
