using NumaSim.Formats.Trace;
using NumaSim.Model.PageAlloc;

namespace NumaSim.Formats.Tests.Trace;

public class FtraceKmemParserTests
{
    private static (List<KmemEvent> Events, TraceStats Stats) Parse(string text, bool strict = false, string source = "trace.txt")
    {
        var stats = new TraceStats();
        var parser = new FtraceKmemParser { Strict = strict, SourceName = source };
        return ([.. parser.Parse(new StringReader(text), stats)], stats);
    }

    private static T Single<T>(string line) where T : KmemEvent
    {
        var (events, stats) = Parse(line);
        Assert.Equal(0, stats.Malformed);
        return Assert.IsType<T>(Assert.Single(events));
    }

    [Fact]
    public void Kmalloc_line_gives_every_field()
    {
        var e = Single<KmallocEvent>(TraceSamples.Kmalloc);

        Assert.Equal("kmalloc", e.Name);
        Assert.Equal("bash", e.Task);
        Assert.Equal(1234, e.Pid);
        Assert.Equal(2, e.Cpu);
        Assert.Equal(12345_678901000L, e.TimestampNs);
        Assert.Equal(12345.678901m, e.TimestampSeconds);
        Assert.Equal(1, e.LineNumber);
        Assert.Equal("load_elf_binary+0x1a2/0x1500", e.CallSite);
        Assert.Equal(0xa1b2c3d4UL, e.Ptr);
        Assert.Equal(126, e.BytesReq);
        Assert.Equal(128, e.BytesAlloc);
        Assert.Equal(Gfp.Kernel, e.Gfp);
        Assert.Equal("GFP_KERNEL", e.GfpText);
        Assert.Null(e.GfpUnknown);
        Assert.Equal(-1, e.Node);
        Assert.False(e.Accounted);
    }

    [Fact]
    public void Kmem_cache_alloc_line_gives_the_cache_name()
    {
        var e = Single<KmemCacheAllocEvent>(TraceSamples.KmemCacheAlloc);

        Assert.Equal("vm_area_alloc+0x1e/0x80", e.CallSite);
        Assert.Equal(0x5e6f7a8bUL, e.Ptr);
        Assert.Equal("vm_area_struct", e.CacheName);
        Assert.Equal(184, e.BytesReq);
        Assert.Equal(192, e.BytesAlloc);
        Assert.Equal(Gfp.Kernel, e.Gfp);
        Assert.True(e.Accounted);
    }

    [Fact]
    public void Kmem_cache_alloc_without_name_as_6_1_to_6_17_print_it_has_no_cache_name()
    {
        var e = Single<KmemCacheAllocEvent>(
            "   systemd-1       [000] ..... 5.000001: kmem_cache_alloc: call_site=getname_flags+0x4e/0x1d0 ptr=00000000deadbeef bytes_req=4096 bytes_alloc=4096 gfp_flags=GFP_KERNEL node=0 accounted=false");

        Assert.Null(e.CacheName);
        Assert.Equal(0, e.Node);
    }

    [Fact]
    public void Mm_page_alloc_line_gives_pfn_order_migratetype_and_gfp()
    {
        var e = Single<PageAllocEvent>(TraceSamples.PageAlloc);

        Assert.Equal(0xc0ffee11UL, e.Page);
        Assert.Equal(0x10a2b3UL, e.Pfn);
        Assert.Equal(0, e.Order);
        Assert.Equal(1, e.MigrateType);
        Assert.Equal(Gfp.HighUserMovable | Gfp.Zero, e.Gfp);
        Assert.Equal("GFP_HIGHUSER_MOVABLE|__GFP_ZERO", e.GfpText);
    }

    [Fact]
    public void Kfree_line_gives_call_site_and_ptr()
    {
        var e = Single<KfreeEvent>(TraceSamples.Kfree);

        Assert.Equal("<idle>", e.Task);
        Assert.Equal(0, e.Pid);
        Assert.Equal("rcu_do_batch+0x1b8/0x4f0", e.CallSite);
        Assert.Equal(0xa1b2c3d4UL, e.Ptr);
    }

    [Fact]
    public void Kmem_cache_free_line_gives_the_cache_name()
    {
        var e = Single<KmemCacheFreeEvent>(TraceSamples.KmemCacheFree);

        Assert.Equal(0x5e6f7a8bUL, e.Ptr);
        Assert.Equal("vm_area_struct", e.CacheName);
    }

    [Fact]
    public void Mm_page_free_line_gives_pfn_and_order()
    {
        var e = Single<PageFreeEvent>(TraceSamples.PageFree);

        Assert.Equal("kworker/1:2", e.Task);
        Assert.Equal(77, e.Pid);
        Assert.Equal(0xc0ffee11UL, e.Page);
        Assert.Equal(0x10a2b3UL, e.Pfn);
        Assert.Equal(2, e.Order);
    }

    [Theory]
    [InlineData("kworker/u16:2-events_unbound-77 [003] d..1. 1.000000: kfree: call_site=x+0x1/0x2 ptr=0000000000000001", "kworker/u16:2-events_unbound", 77)]
    [InlineData("   Web Content-4242    [003] d..1. 1.000000: kfree: call_site=x+0x1/0x2 ptr=0000000000000001", "Web Content", 4242)]
    [InlineData("  Isolated Web Co-9-10 [003] .N.1. 1.000000: kfree: call_site=x+0x1/0x2 ptr=0000000000000001", "Isolated Web Co-9", 10)]
    [InlineData("            bash-1234    (   1234) [003] d..1. 1.000000: kfree: call_site=x+0x1/0x2 ptr=0000000000000001", "bash", 1234)]
    [InlineData("           <...>-5678    (-------) [003] d..1. 1.000000: kfree: call_site=x+0x1/0x2 ptr=0000000000000001", "<...>", 5678)]
    public void Task_names_keep_their_spaces_and_dashes(string line, string task, int pid)
    {
        var e = Single<KfreeEvent>(line);

        Assert.Equal(task, e.Task);
        Assert.Equal(pid, e.Pid);
        Assert.Equal(3, e.Cpu);
    }

    [Theory]
    [InlineData("            bash-1234  [002] 12345.678901: kfree: call_site=ffffffff811a2b3c ptr=ffff888100a1b2c0")]
    [InlineData("            bash-1234  [002] d..1 12345.678901: kfree: call_site=ffffffff811a2b3c ptr=ffff888100a1b2c0")]
    [InlineData("            bash-1234  [002] d..1. 12345.678901: kfree:   call_site=ffffffff811a2b3c ptr=ffff888100a1b2c0")]
    public void Older_prefixes_without_flags_or_with_four_flags_parse(string line)
    {
        var e = Single<KfreeEvent>(line);

        Assert.Equal(12345_678901000L, e.TimestampNs);
        Assert.Equal("ffffffff811a2b3c", e.CallSite);
        Assert.Equal(0xffff888100a1b2c0UL, e.Ptr);
    }

    [Fact]
    public void Module_call_site_keeps_its_module_suffix()
    {
        var e = Single<KmallocEvent>(
            "  mount-300 [001] ..... 20.5: kmalloc: call_site=ext4_fill_super+0x3a/0x90 [ext4] ptr=ffff888100a1b2c0 bytes_req=1000 bytes_alloc=1024 gfp_flags=GFP_KERNEL|__GFP_ZERO node=-1 accounted=false");

        Assert.Equal("ext4_fill_super+0x3a/0x90 [ext4]", e.CallSite);
        Assert.Equal(Gfp.Kernel | Gfp.Zero, e.Gfp);
        Assert.Equal(20_500_000_000L, e.TimestampNs);
    }

    [Fact]
    public void Pre_6_1_kmalloc_node_and_old_decimal_pfn_parse()
    {
        var (events, stats) = Parse(TraceSamples.Lines(
            "  bash-1 [000] d..1 1.000001: kmalloc_node: call_site=__alloc_skb+0x8e/0x1d0 ptr=ffff888100a1b2c0 bytes_req=640 bytes_alloc=1024 gfp_flags=GFP_KERNEL|__GFP_NOWARN node=1",
            "  bash-1 [000] d..1 1.000002: mm_page_alloc: page=ffffea0004028000 pfn=1049088 order=3 migratetype=0 gfp_flags=GFP_KERNEL"));

        Assert.Equal(0, stats.Malformed);
        var k = Assert.IsType<KmallocEvent>(events[0]);
        Assert.Equal("kmalloc_node", k.Name);
        Assert.Equal(1, k.Node);
        Assert.False(k.Accounted);
        Assert.Equal(1049088UL, Assert.IsType<PageAllocEvent>(events[1]).Pfn);
    }

    [Fact]
    public void Header_comments_and_blank_lines_are_passed_over()
    {
        var (events, stats) = Parse(TraceSamples.Lines(TraceSamples.Header, "", "   ", TraceSamples.Kmalloc, "##### CPU 2 buffer started ####", TraceSamples.Kfree));

        Assert.Equal(2, events.Count);
        Assert.Equal(12 + 3, stats.HeaderLines);
        Assert.Equal(2, stats.Parsed);
        Assert.Equal(0, stats.Skipped);
        Assert.Equal(0, stats.Malformed);
        Assert.Equal(15, events[0].LineNumber);
        Assert.Equal(17, events[1].LineNumber);
    }

    [Fact]
    public void Other_events_are_skipped_and_counted_by_name()
    {
        var (events, stats) = Parse(TraceSamples.Lines(
            TraceSamples.SchedSwitch,
            TraceSamples.Kmalloc,
            TraceSamples.SchedSwitch,
            "  bash-1234 [002] d.h1. 12345.7: irq_handler_entry: irq=24 name=eth0",
            TraceSamples.PageAlloc,
            TraceSamples.PageFree));

        Assert.Equal(3, events.Count);
        Assert.Equal(3, stats.Parsed);
        Assert.Equal(3, stats.Skipped);
        Assert.Equal(
            ["irq_handler_entry=1", "kmalloc=1", "mm_page_alloc=1", "mm_page_free=1", "sched_switch=2"],
            stats.ByEvent.Select(kv => $"{kv.Key}={kv.Value}"));
    }

    [Fact]
    public void Page_events_that_repeat_a_traced_operation_are_counted_not_yielded()
    {
        var (events, stats) = Parse(TraceSamples.Lines(
            "  bash-1 [000] d..1. 1.1: mm_page_alloc_zone_locked: page=000000007a8b9c0d pfn=0x1f2e3 order=0 migratetype=1 percpu_refill=1",
            "  bash-1 [000] d..1. 1.2: mm_page_pcpu_drain: page=000000007a8b9c0d pfn=0x1f2e3 order=0 migratetype=1",
            "  bash-1 [000] d..1. 1.3: mm_page_free_batched: page=000000007a8b9c0d pfn=0x1f2e3 order=0",
            "  bash-1 [000] d..1. 1.4: mm_page_pcpu_drain: page=000000007a8b9c0d pfn=0xZZ order=0 migratetype=1"));

        Assert.Empty(events);
        Assert.Equal(3, stats.Skipped);
        Assert.Equal(1, stats.Malformed);
        Assert.Equal(2, stats.ByEvent["mm_page_pcpu_drain"]);
        Assert.Equal(1, stats.ByEvent["mm_page_alloc_zone_locked"]);
        Assert.Equal(1, stats.ByEvent["mm_page_free_batched"]);
    }

    [Fact]
    public void Malformed_kmem_lines_are_skipped_and_counted_with_their_line_numbers()
    {
        var (events, stats) = Parse(TraceSamples.Lines(
            "# tracer: nop",
            TraceSamples.Kmalloc,
            "  bash-1234 [002] d..1. 1.5: kmalloc: call_site=x+0x1/0x2 ptr=00000000a1b2c3d4 bytes_req=12x bytes_alloc=128 gfp_flags=GFP_KERNEL node=-1 accounted=false",
            "  bash-1234 [002] d..1. 1.6: kfree: call_site=x+0x1/0x2",
            "  bash-12x4 [002] d..1. 1.7: kmem_cache_free: call_site=x+0x1/0x2 ptr=0000000000000001 name=dentry",
            "  bash-1234 [002] d..1. 1.8: mm_page_alloc: page=0000000000000001 pfn=0x10 order=0 migratetype=1 gfp_flags= ",
            "  bash-1234 [002] d..1. 1.9: kmalloc: call_site=x+0x1/0x2 ptr=00000000a1b2c3d4 bytes_req=1 bytes_alloc=8 gfp_flags=GFP_KERNEL node=-1 accounted=maybe",
            TraceSamples.Kfree));

        Assert.Equal(2, events.Count);
        Assert.Equal(2, stats.Parsed);
        Assert.Equal(5, stats.Malformed);
        Assert.Equal(
            [
                new MalformedLine(3, "kmalloc", "bytes_req=12x is not a decimal number"),
                new MalformedLine(4, "kfree", "missing ptr="),
                new MalformedLine(5, "kmem_cache_free", "not a 'TASK-PID [CPU] TIMESTAMP: EVENT: FIELDS' line"),
                new MalformedLine(6, "mm_page_alloc", "gfp_flags= is empty"),
                new MalformedLine(7, "kmalloc", "accounted=maybe is not true or false"),
            ],
            stats.FirstMalformed);
        Assert.Equal("3: kmalloc: bytes_req=12x is not a decimal number", stats.FirstMalformed[0].ToString());
    }

    [Fact]
    public void Only_the_first_ten_malformed_lines_are_kept()
    {
        var bad = "  bash-1 [000] d..1. 1.0: kfree: call_site=x ptr=nothex";
        var (_, stats) = Parse(TraceSamples.Lines([.. Enumerable.Repeat(bad, 25)]));

        Assert.Equal(25, stats.Malformed);
        Assert.Equal(TraceStats.MaxFirstMalformed, stats.FirstMalformed.Count);
        Assert.Equal(Enumerable.Range(1, 10).Select(n => (long)n), stats.FirstMalformed.Select(m => m.LineNumber));
        Assert.Equal("ptr=nothex is not a hexadecimal pointer", stats.FirstMalformed[0].Reason);
    }

    [Fact]
    public void Strict_mode_throws_one_line_naming_file_line_event_and_fault()
    {
        var text = TraceSamples.Lines(
            "# tracer: nop",
            TraceSamples.Kmalloc,
            "  bash-1234 [002] d..1. 1.5: kmalloc: call_site=x+0x1/0x2 ptr=00000000a1b2c3d4 bytes_req=12x bytes_alloc=128 gfp_flags=GFP_KERNEL node=-1 accounted=false",
            TraceSamples.Kfree);
        var stats = new TraceStats();
        var seen = new List<KmemEvent>();
        var parser = new FtraceKmemParser { Strict = true, SourceName = "trace.txt" };

        var ex = Assert.Throws<FormatException>(() => seen.AddRange(parser.Parse(new StringReader(text), stats)));

        Assert.Equal("trace.txt:3: kmalloc: bytes_req=12x is not a decimal number", ex.Message);
        Assert.Equal(1, stats.Parsed);
        Assert.Equal(1, stats.Malformed);
    }

    [Fact]
    public void Strict_mode_still_skips_other_events_and_unrecognized_lines()
    {
        var (events, stats) = Parse(
            TraceSamples.Lines("cpus=4", TraceSamples.SchedSwitch, " => kmalloc_trace+0x2a/0xb0", "CPU:2 [LOST 120 EVENTS]", TraceSamples.Kfree),
            strict: true);

        Assert.Single(events);
        Assert.Equal(1, stats.Skipped);
        Assert.Equal(2, stats.Unrecognized);
        Assert.Equal(120, stats.LostEvents);
    }

    [Fact]
    public void Hex_gfp_flags_give_the_bits()
    {
        var e = Single<KmallocEvent>(
            "  bash-1 [000] ..... 1.0: kmalloc: call_site=x+0x1/0x2 ptr=0000000000000001 bytes_req=8 bytes_alloc=8 gfp_flags=0x400cc0 node=-1 accounted=true");

        Assert.Equal(Gfp.KernelAccount, e.Gfp);
        Assert.Equal("0x400cc0", e.GfpText);
        Assert.Null(e.GfpUnknown);
    }

    [Theory]
    [InlineData("none", Gfp.None, null)]
    [InlineData("GFP_KERNEL|0x1000000", Gfp.Kernel, "0x1000000")]
    [InlineData("GFP_HIGHUSER_MOVABLE|__GFP_SKIP_KASAN|__GFP_ZEROTAGS", Gfp.HighUserMovable, "__GFP_SKIP_KASAN|__GFP_ZEROTAGS")]
    [InlineData("GFP_ATOMIC|__GFP_ATOMIC|__GFP_NOWARN", Gfp.Atomic | Gfp.NoWarn, "__GFP_ATOMIC")]
    [InlineData("GFP_TRANSHUGE", (Gfp.HighUserMovable | Gfp.Comp | Gfp.NoMemalloc | Gfp.NoWarn) & ~Gfp.KswapdReclaim, null)]
    public void Gfp_names_the_model_lacks_are_kept_not_fatal(string text, Gfp gfp, string? unknown)
    {
        var e = Single<PageAllocEvent>($"  bash-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000001 pfn=0x1 order=9 migratetype=1 gfp_flags={text}");

        Assert.Equal(gfp, e.Gfp);
        Assert.Equal(text, e.GfpText);
        Assert.Equal(unknown, e.GfpUnknown);
    }

    [Fact]
    public void Parsing_from_a_text_reader_names_stdin_in_errors()
    {
        var stdin = new StringReader(TraceSamples.Lines("  bash-1 [000] d..1. 1.0: kfree: call_site=x ptr=nothex"));
        var parser = new FtraceKmemParser { Strict = true };

        var ex = Assert.Throws<FormatException>(() => parser.Parse(stdin, new TraceStats()).ToList());

        Assert.Equal("<stdin>:1: kfree: ptr=nothex is not a hexadecimal pointer", ex.Message);
    }

    [Fact]
    public void Failed_page_allocation_prints_a_null_page()
    {
        var e = Single<PageAllocEvent>("  bash-1 [000] ..... 1.0: mm_page_alloc: page=0000000000000000 pfn=0x0 order=10 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_NORETRY");

        Assert.Equal(0UL, e.Page);
        Assert.Equal(Gfp.Kernel | Gfp.NoRetry, e.Gfp);
    }

    [Theory]
    [InlineData("pfn=0x00000000000000000001", 1UL)]
    [InlineData("pfn=18446744073709551615", ulong.MaxValue)]
    [InlineData("pfn=0xFFFFffffFFFFffff", ulong.MaxValue)]
    public void Page_frame_numbers_read_in_hex_or_decimal_to_the_full_range(string pfn, ulong expected)
    {
        var e = Single<PageFreeEvent>($"  bash-1 [000] ..... 1.0: mm_page_free: page=0000000000000001 {pfn} order=0");

        Assert.Equal(expected, e.Pfn);
    }

    [Theory]
    [InlineData("mm_page_free: page=0000000000000001 pfn=0x10000000000000000 order=0", "pfn=0x10000000000000000 is not a page frame number")]
    [InlineData("mm_page_free: page=0000000000000001 pfn=18446744073709551616 order=0", "pfn=18446744073709551616 is not a page frame number")]
    [InlineData("mm_page_free: page=0000000000000001 pfn=+5 order=0", "pfn=+5 is not a page frame number")]
    [InlineData("kfree: call_site=x ptr=1ffffffffffffffff", "ptr=1ffffffffffffffff is not a hexadecimal pointer")]
    [InlineData("kfree: call_site=x ptr=0x", "ptr= is not a hexadecimal pointer")]
    [InlineData("kmalloc: call_site=x ptr=1 bytes_req=9223372036854775808 bytes_alloc=8 gfp_flags=GFP_KERNEL", "bytes_req=9223372036854775808 is not a decimal number")]
    [InlineData("kmalloc: call_site=x ptr=1 bytes_req=-8 bytes_alloc=8 gfp_flags=GFP_KERNEL", "bytes_req=-8 is not a decimal number")]
    public void Numbers_out_of_range_or_with_stray_characters_are_malformed(string fields, string reason)
    {
        var (events, stats) = Parse($"  bash-1 [000] ..... 1.0: {fields}\n");

        Assert.Empty(events);
        Assert.Equal(reason, Assert.Single(stats.FirstMalformed).Reason);
    }

    [Theory]
    [InlineData("4294967295.999999999:", 4_294_967_295_999_999_999L)]
    [InlineData("7:", 7_000_000_000L)]
    [InlineData("0.5:", 500_000_000L)]
    public void Timestamps_read_to_the_nanosecond(string stamp, long ns)
    {
        var e = Single<KfreeEvent>($"  bash-1 [000] ..... {stamp} kfree: call_site=x ptr=1");

        Assert.Equal(ns, e.TimestampNs);
    }

    [Fact]
    public void Lines_end_at_lf_crlf_or_cr_and_the_last_needs_no_end()
    {
        var (events, stats) = Parse("# tracer: nop\r\n" + TraceSamples.Kmalloc + "\r" + TraceSamples.Kfree + "\n\r\n" + TraceSamples.PageFree);

        Assert.Equal([2L, 3L, 5L], events.Select(e => e.LineNumber));
        Assert.Equal(5, stats.Lines);
        Assert.Equal(2, stats.HeaderLines);
    }

    [Fact]
    public void A_crlf_split_by_the_read_buffer_ends_one_line_only()
    {
        // The first line's "\r" is the 65536th character: the reader's first block ends between "\r" and "\n".
        var first = "#" + new string('x', 65534);
        var (events, stats) = Parse(first + "\r\n" + TraceSamples.Kmalloc + "\r\n");

        Assert.Equal(2, Assert.Single(events).LineNumber);
        Assert.Equal((2L, 1L), (stats.Lines, stats.HeaderLines));
    }

    [Fact]
    public void A_line_longer_than_the_read_buffer_is_read_whole()
    {
        var site = "f" + new string('x', 200_000) + "+0x1/0x2";
        var (events, _) = Parse($"  bash-1 [000] ..... 1.0: kfree: call_site={site} ptr=00000000000000ab\n" + TraceSamples.Kfree);

        Assert.Equal(2, events.Count);
        var e = Assert.IsType<KfreeEvent>(events[0]);
        Assert.Equal(site, e.CallSite);
        Assert.Equal(0xabUL, e.Ptr);
    }

    [Fact]
    public void Every_kmem_event_is_counted_under_its_own_name()
    {
        string[] names =
        [
            "kmalloc", "kmalloc_node", "kmem_cache_alloc", "kmem_cache_alloc_node", "kfree", "kmem_cache_free",
            "mm_page_alloc", "mm_page_free", "mm_page_alloc_zone_locked", "mm_page_pcpu_drain", "mm_page_free_batched",
        ];
        var lines = names.SelectMany((name, i) => Enumerable.Repeat($"  bash-1 [000] ..... 1.0: {name}: garbage", i + 1));

        var (_, stats) = Parse(TraceSamples.Lines([.. lines]));

        Assert.Equal(names.Select((name, i) => $"{name}={i + 1}").Order(StringComparer.Ordinal), stats.ByEvent.Select(kv => $"{kv.Key}={kv.Value}"));
    }
}
