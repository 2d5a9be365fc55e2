using System.Text.Json;
using NumaSim.Formats.Json;
using NumaSim.Formats.Tests.Support;
using NumaSim.Model.Snapshots;
using NumaSim.Results;

namespace NumaSim.Formats.Tests.Json;

public class SummaryJsonTests
{
    [Fact]
    public void Keys_come_in_the_fixed_order()
    {
        using var doc = JsonDocument.Parse(SummaryJson.Render(SampleRun.Summary(), SyntheticMachine.Build()));

        Assert.Equal(
            ["scenario", "seed", "complete", "operations", "simulated_ns", "wall_seconds", "operations_per_second",
             "boot_seconds", "members", "numastat", "tlb", "latency_ns", "errors", "allocations", "mmu", "clock", "free_pages"],
            doc.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Incomplete_run_says_why_right_after_complete()
    {
        using var doc = JsonDocument.Parse(SummaryJson.Render(SampleRun.Summary("out of memory"), SyntheticMachine.Build()));
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToList();

        Assert.False(doc.RootElement.GetProperty("complete").GetBoolean());
        Assert.Equal("out of memory", doc.RootElement.GetProperty("incomplete_reason").GetString());
        Assert.Equal(names.IndexOf("complete") + 1, names.IndexOf("incomplete_reason"));
    }

    [Fact]
    public void Doubles_have_six_fixed_decimals_and_text_is_deterministic()
    {
        var text = SummaryJson.Render(SampleRun.Summary(), SyntheticMachine.Build());

        Assert.Contains("\"wall_seconds\": 0.500000,", text);
        Assert.Contains("\"operations_per_second\": 3000.000000,", text);
        Assert.Contains("\"boot_seconds\": 0.012346,", text);
        Assert.Contains("\"address\": \"akka.tcp://numasim@127.0.0.1:4053\"", text);
        Assert.DoesNotContain('\r', text);
        Assert.Equal(text, SummaryJson.Render(SampleRun.Summary(), SyntheticMachine.Build()));
    }

    [Fact]
    public void Numastat_latency_and_free_pages_are_keyed_by_node_kind_and_zone()
    {
        using var doc = JsonDocument.Parse(SummaryJson.Render(SampleRun.Summary(), SyntheticMachine.Build()));
        var root = doc.RootElement;

        Assert.Equal(2000, root.GetProperty("numastat").GetProperty("node1").GetProperty("numa_hit").GetInt64());
        Assert.Equal(21, root.GetProperty("numastat").GetProperty("node0").GetProperty("interleave_hit").GetInt64());
        Assert.Equal(["alloc_fast", "page_fault"], root.GetProperty("latency_ns").EnumerateObject().Select(p => p.Name));
        Assert.Equal(1200, root.GetProperty("latency_ns").GetProperty("page_fault").GetProperty("p99").GetInt64());
        Assert.Equal(["DMA", "DMA32", "Normal"], root.GetProperty("free_pages").GetProperty("node0").EnumerateObject().Select(p => p.Name));
        var movable = root.GetProperty("free_pages").GetProperty("node2").GetProperty("Movable");
        Assert.Equal(11, movable.GetArrayLength());
        Assert.Equal(128, movable[10].GetInt64()); // 131072 free pages in order-10 blocks
        Assert.Equal("Object already free \"kmalloc-64\"", root.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public void A_replay_adds_its_trace_object_last_with_parsed_skipped_by_event_and_fidelity()
    {
        var replay = SampleRun.Summary() with
        {
            Trace = new TraceReplaySummary
            {
                Source = "trace.txt.gz",
                Policy = "local",
                CpuMap = "trace_cpu % 16",
                Lines = 12,
                Parsed = 8,
                Skipped = 3,
                Malformed = 1,
                ByEvent = new Dictionary<string, long> { ["sched_switch"] = 3, ["kmalloc"] = 5, ["kfree"] = 4 },
                PageFreesUnmatched = 2,
                ObjectFreesUnmatched = 5,
                Fidelity = new TraceFidelity(5, 1, 7, 2),
            },
        };

        using var doc = JsonDocument.Parse(SummaryJson.Render(replay, SyntheticMachine.Build()));
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        var trace = doc.RootElement.GetProperty("trace");

        Assert.Equal("trace", names[^1]);
        Assert.Equal(8, trace.GetProperty("parsed").GetInt64());
        Assert.Equal(3, trace.GetProperty("skipped").GetInt64());
        Assert.Equal(["kfree", "kmalloc", "sched_switch"], trace.GetProperty("by_event").EnumerateObject().Select(p => p.Name));
        Assert.Equal(7, trace.GetProperty("frees_unmatched").GetInt64());
        var fidelity = trace.GetProperty("fidelity");
        Assert.Equal(
            [("bytes_alloc_checked", 5L), ("bytes_alloc_mismatches", 1L), ("migratetype_checked", 7L), ("migratetype_mismatches", 2L)],
            fidelity.EnumerateObject().Select(p => (p.Name, p.Value.GetInt64())));
    }
}
