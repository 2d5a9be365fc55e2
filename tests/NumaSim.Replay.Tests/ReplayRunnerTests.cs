using NumaSim.Formats.Json;
using NumaSim.Formats.Output;
using NumaSim.Replay;
using static NumaSim.Replay.Tests.TraceLines;

namespace NumaSim.Replay.Tests;

public sealed class ReplayRunnerTests
{
    private const string GoodKmalloc = "  bash-1 [000] d..1. 1.000001: kmalloc: call_site=x+0x1/0x2 ptr=ffff888100000100 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL node=-1 accounted=false";

    [Fact]
    public void Other_events_are_counted_by_name_as_skipped_and_not_replayed()
    {
        var result = ReplayMachines.Replay(Trace(
            SchedSwitch(0, 1.0),
            Kmalloc(0, 1.1, 0xffff888100000100, 8, 8),
            Line(1, 1.2, "irq_handler_entry: irq=24 name=eth0"),
            SchedSwitch(1, 1.3),
            Line(1, 1.4, "mm_page_pcpu_drain: page=ffffea0000000000 pfn=0x1f2e3 order=0 migratetype=1")));

        var trace = result.Summary.Trace!;
        Assert.Equal((1L, 4L, 0L), (trace.Parsed, trace.Skipped, trace.Malformed));
        Assert.Equal(1, result.Summary.Operations);
        Assert.Equal(
            ["irq_handler_entry=1", "kmalloc=1", "mm_page_pcpu_drain=1", "sched_switch=2"],
            trace.ByEvent.Select(kv => $"{kv.Key}={kv.Value}"));
    }

    public static TheoryData<string, string, string> MalformedLines => new()
    {
        { "  bash-1 [000] d..1. 1.5: kmalloc: call_site=x+0x1/0x2 ptr=ffff888100000200 bytes_req=12x bytes_alloc=16 gfp_flags=GFP_KERNEL node=-1 accounted=false", "kmalloc", "bytes_req=12x is not a decimal number" },
        { "  bash-1 [000] d..1. 1.5: kmalloc: call_site=x+0x1/0x2 ptr=ffff888100000200 bytes_req=12 gfp_flags=GFP_KERNEL node=-1 accounted=false", "kmalloc", "missing bytes_alloc=" },
        { "  bash-1 [000] d..1. 1.5: kmalloc: call_site=x+0x1/0x2 ptr=ffff888100000200 bytes_req=12 bytes_alloc=16 gfp_flags=GFP_KERNEL node=-1 accounted=maybe", "kmalloc", "accounted=maybe is not true or false" },
        { "  bash-1 [000] d..1. 1.5: kmem_cache_alloc: call_site=x+0x1/0x2 ptr=ffff888100000200 name=dentry bytes_req=192 bytes_alloc=192 gfp_flags= node=-1", "kmem_cache_alloc", "gfp_flags= is empty" },
        { "  bash-1 [000] d..1. 1.5: kfree: call_site=x+0x1/0x2", "kfree", "missing ptr=" },
        { "  bash-1 [000] d..1. 1.5: kmem_cache_free: call_site=x+0x1/0x2 ptr=nothex name=dentry", "kmem_cache_free", "ptr=nothex is not a hexadecimal pointer" },
        { "  bash-1 [000] d..1. 1.5: mm_page_alloc: page=ffffea0000000000 pfn=0xZZ order=0 migratetype=1 gfp_flags=GFP_KERNEL", "mm_page_alloc", "pfn=0xZZ is not a page frame number" },
        { "  bash-1 [000] d..1. 1.5: mm_page_alloc: page=ffffea0000000000 pfn=0x10 order=0 migratetype=x gfp_flags=GFP_KERNEL", "mm_page_alloc", "migratetype=x is not a decimal number" },
        { "  bash-1 [000] d..1. 1.5: mm_page_free: page=ffffea0000000000 pfn=0x10 order=99", "mm_page_free", "order=99 is out of range" },
        { "  bash-1 [000] d..1. 1.5: mm_page_free: page=ffffea0000000000 pfn=0x10 order=99999999999", "mm_page_free", "order=99999999999 is not a decimal number" },
        { "  bash-12x [000] d..1. 1.5: kfree: call_site=x+0x1/0x2 ptr=ffff888100000200", "kfree", "not a 'TASK-PID [CPU] TIMESTAMP: EVENT: FIELDS' line" },
        { "  bash-1 [000] d..1. 1.5x: kfree: call_site=x+0x1/0x2 ptr=ffff888100000200", "kfree", "bad timestamp '1.5x:' (expected SECONDS.FRACTION:)" },
    };

    [Theory]
    [MemberData(nameof(MalformedLines))]
    public void A_malformed_kmem_line_stops_the_replay_naming_file_line_event_and_field(string line, string @event, string reason)
    {
        var text = Trace(GoodKmalloc, line, Kfree(0, 2.0, 0xffff888100000100));

        var e = Assert.Throws<FormatException>(() => ReplayMachines.Replay(text));

        Assert.Equal($"trace.txt:{TraceLines.HeaderLineCount + 2}: {@event}: {reason}", e.Message);
    }

    [Theory]
    [MemberData(nameof(MalformedLines))]
    public void Lenient_replay_skips_and_counts_a_malformed_kmem_line(string line, string @event, string reason)
    {
        _ = reason;
        var result = ReplayMachines.Replay(Trace(GoodKmalloc, line, Kfree(0, 2.0, 0xffff888100000100)), lenient: true);

        var trace = result.Summary.Trace!;
        Assert.Equal((1L, 2L), (trace.Malformed, trace.Parsed));
        Assert.Equal(@event is "kmalloc" or "kfree" ? 2 : 1, trace.ByEvent[@event]);
        Assert.Equal((1L, 0L), (trace.ObjectFrees, trace.LiveObjects));
    }

    [Fact]
    public void A_malformed_line_deep_in_the_trace_surfaces_after_the_events_before_it()
    {
        var synthetic = new SyntheticKmemTrace(20_000);
        var lines = new List<string>();
        while (synthetic.ReadLine() is { } l)
        {
            lines.Add(l);
        }
        lines.Insert(15_000, "  bash-1 [000] d..1. 9999.0: kfree: call_site=x+0x1/0x2 ptr=xyz");

        var e = Assert.Throws<FormatException>(() => ReplayMachines.Replay(string.Join('\n', lines)));

        Assert.Equal("trace.txt:15001: kfree: ptr=xyz is not a hexadecimal pointer", e.Message);
    }

    [Fact]
    public void A_synthetic_steady_state_trace_replays_without_disagreement_or_unmatched_frees()
    {
        const int eventCount = 50_000;
        var result = ReplayRunner.Run(new SyntheticKmemTrace(eventCount), "synthetic", ReplayMachines.TwoSocket, new ReplayOptions());

        var trace = result.Summary.Trace!;
        Assert.Equal(eventCount, trace.Parsed + trace.Skipped);
        Assert.Equal(trace.ByEvent["sched_switch"], trace.Skipped);
        Assert.Equal(7, trace.ByEvent.Count);
        Assert.Equal(0, trace.FreesUnmatched);
        Assert.Equal(0, trace.PageAllocFailures + trace.ObjectAllocFailures);
        Assert.True(trace.Fidelity.BytesAllocChecked > 5_000);
        Assert.True(trace.Fidelity.MigratetypeChecked > 5_000);
        Assert.Equal((0L, 0L), (trace.Fidelity.BytesAllocMismatches, trace.Fidelity.MigratetypeMismatches));
        Assert.InRange(trace.LiveObjects, 1, 3_000);
        Assert.Empty(result.Summary.Errors);
        Assert.Equal(trace.Parsed, result.Summary.Operations);
    }

    [Fact]
    public void The_same_trace_replayed_twice_gives_the_same_outputs()
    {
        var first = ReplayRunner.Run(new SyntheticKmemTrace(30_000, seed: 5), "synthetic", ReplayMachines.TwoSocket, new ReplayOptions());
        var second = ReplayRunner.Run(new SyntheticKmemTrace(30_000, seed: 5), "synthetic", ReplayMachines.TwoSocket, new ReplayOptions());

        Assert.Equal(Reproducible(first), Reproducible(second));
        foreach (var name in OutputTreeWriter.ProcNames)
        {
            Assert.Equal(OutputTreeWriter.RenderProc(name, first.Machine), OutputTreeWriter.RenderProc(name, second.Machine));
        }
        var other = ReplayRunner.Run(new SyntheticKmemTrace(30_000, seed: 6), "synthetic", ReplayMachines.TwoSocket, new ReplayOptions());
        Assert.NotEqual(Reproducible(first), Reproducible(other));
    }

    private static string Reproducible(ReplayResult r) =>
        SummaryJson.Render(r.Summary with { WallSeconds = 0, BootSeconds = 0, Members = [] }, r.Machine);
}
