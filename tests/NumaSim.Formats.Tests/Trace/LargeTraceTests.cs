using NumaSim.Formats.Trace;

namespace NumaSim.Formats.Tests.Trace;

public class LargeTraceTests
{
    [Fact]
    public void A_200k_line_trace_streams_through_with_exact_counts()
    {
        const int eventCount = 200_000;
        var reader = new GeneratedTraceReader(eventCount);
        var stats = new TraceStats();

        using var events = new FtraceKmemParser { Strict = true }.Parse(reader, stats).GetEnumerator();
        Assert.True(events.MoveNext());
        Assert.IsType<KmallocEvent>(events.Current);
        Assert.Equal(GeneratedTraceReader.HeaderLines + 1, reader.LinesServed);

        long parsed = 1, bytes = 0;
        while (events.MoveNext())
        {
            parsed++;
            if (events.Current is KmallocEvent k)
            {
                bytes += k.BytesReq;
            }
        }

        Assert.Equal(eventCount / 5 * 4, parsed);
        Assert.Equal(parsed, stats.Parsed);
        Assert.Equal(eventCount / 5, stats.Skipped);
        Assert.Equal(0, stats.Malformed);
        Assert.Equal(GeneratedTraceReader.HeaderLines + eventCount, stats.Lines);
        Assert.Equal(
            ["kfree=40000", "kmalloc=40000", "mm_page_alloc=40000", "mm_page_free=40000", "sched_switch=40000"],
            stats.ByEvent.Select(kv => $"{kv.Key}={kv.Value}"));
        Assert.True(bytes > 0);
    }
}
