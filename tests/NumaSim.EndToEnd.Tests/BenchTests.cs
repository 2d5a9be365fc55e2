using System.Text.Json.Nodes;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

/// <summary>`numasim bench --only`: a group's figures alone, as JSON; an unknown group is bad input.</summary>
public sealed class BenchTests
{
    [Fact]
    public void Only_allocator_prints_the_allocator_figures_and_nothing_else()
    {
        using var dir = new TempDirectory();

        var bench = CliRunner.RunWithTimeout(dir.Path, TimeSpan.FromMinutes(2), "bench", "--only", "allocator");

        Assert.True(bench.ExitCode == 0, bench.ToString());
        var figures = JsonNode.Parse(bench.Stdout)!.AsObject();
        Assert.Equal(
            ["buddy_alloc_free_order0_ops_per_second", "buddy_alloc_free_order3_ops_per_second", "buddy_alloc_free_order9_ops_per_second",
             "pcp_fast_path_ops_per_second", "terabyte_boot_seconds", "terabyte_host_bytes_per_page", "terabyte_managed_pages"],
            figures.Select(f => f.Key).ToArray());
        Assert.All(figures, f => Assert.True(f.Value!.GetValue<double>() > 0, f.Key));
    }

    [Fact]
    public void Only_throughput_sets_the_engine_against_the_model_alone_on_the_same_operations()
    {
        using var dir = new TempDirectory();

        var bench = CliRunner.RunWithTimeout(dir.Path, TimeSpan.FromMinutes(5), "bench", "--only", "throughput");

        Assert.True(bench.ExitCode == 0, bench.ToString());
        var figures = JsonNode.Parse(bench.Stdout)!.AsObject();
        var golden = OutputTree.Summary(Path.Combine(CliRunner.RepoRoot, "tests", "data", "golden", "throughput"));
        Assert.Equal((double)golden["operations"]!, figures["throughput_operations"]!.GetValue<double>());
        Assert.Equal(figures["throughput_operations"]!.GetValue<double>(), figures["throughput_model_only_operations"]!.GetValue<double>());
        Assert.True(figures["throughput_operations_per_second"]!.GetValue<double>() > 0);
        Assert.True(figures["throughput_model_only_operations_per_second"]!.GetValue<double>() > 0);
        Assert.True(figures["throughput_engine_over_model_only"]!.GetValue<double>() > 0);
        // Every round runs one component at least, and no more than the machine's 16 CPUs and its other components.
        Assert.InRange(figures["throughput_windows_per_round"]!.GetValue<double>(), 1.0, 40.0);
    }

    [Fact]
    public void Only_faults_sets_the_cold_and_warm_engine_against_the_model_alone_on_the_same_faults()
    {
        using var dir = new TempDirectory();

        var bench = CliRunner.RunWithTimeout(dir.Path, TimeSpan.FromMinutes(5), "bench", "--only", "faults");

        Assert.True(bench.ExitCode == 0, bench.ToString());
        var figures = JsonNode.Parse(bench.Stdout)!.AsObject();
        var golden = OutputTree.Summary(Path.Combine(CliRunner.RepoRoot, "tests", "data", "golden", "first-touch"));
        Assert.Equal((double)golden["mmu"]!["faults"]!, figures["first_touch_faults"]!.GetValue<double>());
        Assert.Equal(figures["first_touch_faults"]!.GetValue<double>(), figures["first_touch_model_only_faults"]!.GetValue<double>());
        Assert.True(figures["first_touch_faults_per_second"]!.GetValue<double>() > 0);
        Assert.True(figures["first_touch_faults_per_second_warm"]!.GetValue<double>() > 0);
        Assert.True(figures["first_touch_model_only_faults_per_second"]!.GetValue<double>() > 0);
    }

    [Fact]
    public void Only_scale_reports_the_runs_on_one_core_and_on_more_against_the_model_alone()
    {
        using var dir = new TempDirectory();

        var bench = CliRunner.RunWithTimeout(dir.Path, TimeSpan.FromMinutes(5), "bench", "--only", "scale");

        Assert.True(bench.ExitCode == 0, bench.ToString());
        var figures = JsonNode.Parse(bench.Stdout)!.AsObject();
        if (!figures.ContainsKey("scale_operations"))
        {
            Assert.Contains("taskset", bench.Stderr, StringComparison.Ordinal);
            return;
        }
        var golden = OutputTree.Summary(Path.Combine(CliRunner.RepoRoot, "tests", "data", "golden", "scale"));
        Assert.Equal((double)golden["operations"]!, figures["scale_operations"]!.GetValue<double>());
        Assert.Equal((double)golden["clock"]!["rounds"]!, figures["scale_rounds"]!.GetValue<double>());
        Assert.Equal(1, figures["scale_1_cores_speedup"]!.GetValue<double>());
        Assert.True(figures["scale_1_cores_operations_per_second"]!.GetValue<double>() > 0);
        Assert.True(figures["scale_model_only_operations_per_second"]!.GetValue<double>() > 0);
        // 128 CPUs, 8 nodes' zones and services: a round runs at least one of them, never more than there are.
        Assert.InRange(figures["scale_windows_per_round"]!.GetValue<double>(), 1.0, 200.0);
        if (Environment.ProcessorCount >= 2)
        {
            Assert.True(figures["scale_2_cores_speedup"]!.GetValue<double>() > 0);
        }
    }

    [Fact]
    public void An_unknown_group_is_refused_with_the_groups_named()
    {
        using var dir = new TempDirectory();

        var bench = CliRunner.Run(dir.Path, "bench", "--only", "warp-drive");

        Assert.Equal(2, bench.ExitCode);
        Assert.Contains("warp-drive", bench.Stderr, StringComparison.Ordinal);
        Assert.Empty(bench.Stdout);
    }
}
