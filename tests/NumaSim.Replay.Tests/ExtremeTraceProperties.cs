using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Formats.Trace;
using static NumaSim.Replay.Tests.TraceLines;

namespace NumaSim.Replay.Tests;

/// <summary>
/// Trace fields with values from anywhere, the edges weighted up (long.MaxValue, ulong.MaxValue, one past them,
/// forty digits): the parser answers with an event or a FormatException naming the line, never anything else, and
/// a replayed kmalloc above KMALLOC_MAX_SIZE fails in the model as it would in the kernel.
/// </summary>
public sealed class ExtremeTraceProperties
{
    private const long KmallocMaxSize = 4096L << 10;

    private static Gen<string> Numbers() =>
        Gen.Frequency(
            (3, Gen.Elements("0", "1", "4194304", "4194305", "9223372036854775807", "9223372036854775808",
                "18446744073709551615", "18446744073709551616", "-1", "", "1e9", "NaN", "Infinity", "0x10", new string('9', 40))),
            (2, from hi in Gen.Choose(0, int.MaxValue)
                from lo in Gen.Choose(0, int.MaxValue)
                select (((long)hi << 32) | (uint)lo).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Property(MaxTest = 300)]
    public Property Every_kmem_line_parses_to_an_event_or_a_format_error_naming_its_line() =>
        Prop.ForAll((from a in Numbers() from b in Numbers() from c in Numbers() from kind in Gen.Choose(0, 4) select (a, b, c, kind)).ToArbitrary(), t =>
        {
            var (a, b, c, kind) = t;
            var line = kind switch
            {
                0 => Line(0, 1.0, $"kmalloc: call_site=f+0x1/0x2 ptr=ffff888100000000 bytes_req={a} bytes_alloc={b} gfp_flags=GFP_KERNEL node={c} accounted=false"),
                1 => Line(0, 1.0, $"kmem_cache_alloc: call_site=f+0x1/0x2 ptr=ffff888100000000 name=x bytes_req={a} bytes_alloc={b} gfp_flags=GFP_KERNEL node={c} accounted=false"),
                2 => Line(0, 1.0, $"mm_page_alloc: page=ffffea0004000000 pfn={a} order={b} migratetype={c} gfp_flags=GFP_KERNEL"),
                3 => Line(0, 1.0, $"mm_page_free: page=ffffea0004000000 pfn=0x{a} order={b}"),
                _ => Line(int.TryParse(c, out var cpu) ? Math.Abs(cpu % 1000) : 0, 1.0, $"kfree: call_site=f+0x1/0x2 ptr={a}"),
            };
            try
            {
                Assert.Single(ReplayMachines.Events(Trace(line)));
            }
            catch (FormatException e)
            {
                Assert.Contains($"trace.txt:{HeaderLineCount + 1}:", e.Message, StringComparison.Ordinal);
            }
        });

    [Property(MaxTest = 100)]
    public Property A_replayed_kmalloc_succeeds_in_the_model_exactly_up_to_KMALLOC_MAX_SIZE() =>
        Prop.ForAll(Gen.Frequency(
                (2, Gen.Elements(1L, KmallocMaxSize, KmallocMaxSize + 1, long.MaxValue, long.MaxValue - 4095)),
                (1, from hi in Gen.Choose(0, int.MaxValue) from lo in Gen.Choose(1, int.MaxValue) select ((long)hi << 32) | (uint)lo)).ToArbitrary(),
            size =>
            {
                var replayer = new TraceReplayer(ReplayMachines.TwoSocket, ReplayMachines.Local);
                var bytesAlloc = size > KmallocMaxSize ? long.MaxValue : size;
                foreach (var e in ReplayMachines.Events(Trace(Kmalloc(0, 1.0, 0xffff888100a1b2c0, size, bytesAlloc))))
                {
                    replayer.Apply(e);
                }
                var summary = replayer.Summary(new TraceStats(), "trace.txt");
                Assert.Equal(size > KmallocMaxSize ? 1 : 0, summary.ObjectAllocFailures);
                Assert.Empty(replayer.Errors);
            });
}
