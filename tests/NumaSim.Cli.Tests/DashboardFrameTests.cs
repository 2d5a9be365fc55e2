using System.Globalization;
using System.Text.Json.Nodes;
using NumaSim.Actors.Coordination;
using NumaSim.Formats.Json;
using NumaSim.Model.Snapshots;
using NumaSim.Telemetry.Metrics;
using NumaSim.Workloads.Config;
using Spectre.Console.Testing;

namespace NumaSim.Cli.Tests;

public sealed class DashboardFrameTests
{
    [Theory]
    [InlineData("throughput")]
    [InlineData("default")]
    public async Task The_last_frame_shows_what_summary_json_has(string scenario)
    {
        var result = await SimulationRunner.RunAsync(ScenarioLoader.Load(Path.Combine(ShippedConfig.Directory, "scenarios", scenario + ".conf")));
        var summary = result.Summary;
        // The progress report the coordinator last sent: earlier than the end, its time the "nothing left" sentinel.
        var lastProgress = new SimProgress(long.MaxValue, summary.Operations / 2, summary.Clock.Rounds - 1, TimeSpan.FromSeconds(1));

        var lines = Draw(DashboardFrame.Render(lastProgress, SimulationMetrics.Of(result), summary, 80));

        var json = JsonNode.Parse(SummaryJson.Render(summary, result.Machine))!;
        var status = lines.Single(l => l.Contains("done", StringComparison.Ordinal));
        Assert.Contains($"operations {json["operations"]} ", status, StringComparison.Ordinal);
        Assert.Contains($"simulated {(json["simulated_ns"]!.GetValue<long>() / 1000.0).ToString("F3", CultureInfo.InvariantCulture)} us", status, StringComparison.Ordinal);
        Assert.DoesNotContain("9223372036854776", string.Join('\n', lines), StringComparison.Ordinal);
        var nodes = json["numastat"]!.AsObject();
        Assert.NotEmpty(nodes);
        foreach (var (node, counters) in nodes)
        {
            var column = Cells(lines, "numastat").IndexOf(node);
            Assert.True(column > 0, $"no column for {node}");
            foreach (var (key, value) in counters!.AsObject())
            {
                Assert.Equal(value!.ToJsonString(), Cells(lines, key)[column]);
            }
        }
        AssertFits(lines);
    }

    [Fact]
    public void A_frame_of_a_big_machine_fits_80_by_24()
    {
        // Eight nodes of ten-digit counters, 64 CPUs and 40 caches: more than the frame can draw.
        var big = 9_876_543_210L;
        var metrics = new MetricsSnapshot(
            [.. Enumerable.Range(0, 8).Select(n => (n, new NumaEvents(big, big, big, big, big, big)))],
            [.. Enumerable.Range(0, 64).Select(c => new CpuCounters(c, c / 8, big, big / 100, 0))],
            [],
            [.. Enumerable.Range(0, 40).Select(c => ($"kmalloc-cg-{c}-with-a-long-name", big, big))],
            big,
            big,
            0);
        var progress = new SimProgress(big, big, big, TimeSpan.FromSeconds(3));

        var lines = Draw(DashboardFrame.Render(progress, metrics, null, 80));

        AssertFits(lines);
        Assert.Contains(lines, l => l.Contains("+", StringComparison.Ordinal) && l.Contains("cpus", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("caches", StringComparison.Ordinal));
    }

    [Fact]
    public void A_progress_report_after_the_last_event_shows_the_folded_state_s_time()
    {
        var metrics = MetricsSnapshot.Empty with { SimulatedNs = 1_234_567 };

        var status = DashboardFrame.Status(new SimProgress(long.MaxValue, 10, 2, TimeSpan.FromSeconds(1)), metrics, null);

        Assert.Contains("simulated 1234.567 us", status, StringComparison.Ordinal);
    }

    private static List<string> Draw(Spectre.Console.Rendering.IRenderable frame)
    {
        var console = new TestConsole().Width(80);
        console.Write(frame);
        return [.. console.Output.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n')];
    }

    private static void AssertFits(List<string> lines)
    {
        Assert.True(lines.Count <= DashboardFrame.MaxHeight, $"{lines.Count} lines:\n{string.Join('\n', lines)}");
        Assert.All(lines, l => Assert.True(l.TrimEnd().Length <= 80, $"{l.Length} columns: {l}"));
    }

    /// <summary>The words of the frame's line that starts (inside the border) with <paramref name="key"/>.</summary>
    private static List<string> Cells(List<string> lines, string key) =>
        [.. lines.Select(l => l.Trim('│', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries)).First(w => w.Length > 0 && w[0] == key)];
}
