using System.Globalization;

namespace NumaSim.Formats.Tests.Trace;

/// <summary>
/// A trace made up line by line as it is read, never held whole: a header, then kmalloc, kfree,
/// mm_page_alloc, mm_page_free and sched_switch in turn.
/// </summary>
internal sealed class GeneratedTraceReader(int eventLines) : TextReader
{
    public const int HeaderLines = 3;

    private static readonly string[] Header = ["# tracer: nop", "#", "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION"];

    public int LinesServed { get; private set; }

    public override string? ReadLine()
    {
        var n = LinesServed;
        if (n >= HeaderLines + eventLines)
        {
            return null;
        }
        LinesServed++;
        if (n < HeaderLines)
        {
            return Header[n];
        }
        var i = n - HeaderLines;
        var ts = string.Create(CultureInfo.InvariantCulture, $"{1000 + i / 1_000_000}.{i % 1_000_000:D6}");
        var cpu = (i % 8).ToString("D3", CultureInfo.InvariantCulture);
        var ptr = (0xffff888100000000UL + (ulong)(i / 5 * 64)).ToString("x16", CultureInfo.InvariantCulture);
        var pfn = (0x100000 + i / 5).ToString("x", CultureInfo.InvariantCulture);
        return (i % 5) switch
        {
            0 => $"     stress-ng-{100 + i % 7}    [{cpu}] d..1. {ts}: kmalloc: call_site=alloc_pipe_info+0x5c/0x1f0 ptr={ptr} bytes_req={1 + i % 4000} bytes_alloc=4096 gfp_flags=GFP_KERNEL_ACCOUNT node=-1 accounted=true",
            1 => $"     stress-ng-{100 + i % 7}    [{cpu}] ..... {ts}: kfree: call_site=free_pipe_info+0x9a/0xc0 ptr={ptr}",
            2 => $"     stress-ng-{100 + i % 7}    [{cpu}] ..... {ts}: mm_page_alloc: page=ffffea0004000000 pfn=0x{pfn} order={i % 3} migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_COMP",
            3 => $"     stress-ng-{100 + i % 7}    [{cpu}] ..... {ts}: mm_page_free: page=ffffea0004000000 pfn=0x{pfn} order={(i - 1) % 3}",
            _ => $"     stress-ng-{100 + i % 7}    [{cpu}] d..2. {ts}: sched_switch: prev_comm=stress-ng prev_pid=100 prev_prio=120 prev_state=R+ ==> next_comm=swapper/0 next_pid=0 next_prio=120",
        };
    }

    public override int Peek() => throw new NotSupportedException("read by line");

    public override int Read() => throw new NotSupportedException("read by line");
}
