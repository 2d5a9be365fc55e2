using System.IO.Compression;
using System.Text;
using NumaSim.Formats.Tests.Support;
using NumaSim.Formats.Trace;

namespace NumaSim.Formats.Tests.Trace;

public class TraceSourceTests
{
    private static readonly string Trace = TraceSamples.Lines(
        TraceSamples.Header, TraceSamples.Kmalloc, TraceSamples.KmemCacheAlloc, TraceSamples.PageAlloc,
        TraceSamples.SchedSwitch, TraceSamples.Kfree, TraceSamples.KmemCacheFree, TraceSamples.PageFree);

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gz.Write(Encoding.UTF8.GetBytes(text));
        }
        return buffer.ToArray();
    }

    private static string[] Names(IEnumerable<KmemEvent> events) => [.. events.Select(e => e.Name)];

    private static readonly string[] AllKmem =
        ["kmalloc", "kmem_cache_alloc", "mm_page_alloc", "kfree", "kmem_cache_free", "mm_page_free"];

    [Fact]
    public void Gzip_file_round_trips()
    {
        using var dir = new TempDirectory();
        var path = dir.File("trace.txt.gz");
        File.WriteAllBytes(path, Gzip(Trace));
        var stats = new TraceStats();

        var events = Names(new FtraceKmemParser().ParseFile(path, stats));

        Assert.Equal(AllKmem, events);
        Assert.Equal(6, stats.Parsed);
        Assert.Equal(1, stats.Skipped);
    }

    [Fact]
    public void Gzip_is_detected_by_its_magic_whatever_the_name()
    {
        using var dir = new TempDirectory();
        var path = dir.File("trace.txt");
        File.WriteAllBytes(path, Gzip(Trace));

        using var reader = TraceSource.Open(path);

        Assert.Equal(Trace, reader.ReadToEnd());
    }

    [Fact]
    public void Plain_file_reads_as_text()
    {
        using var dir = new TempDirectory();
        var path = dir.File("trace.txt");
        File.WriteAllText(path, Trace);

        Assert.Equal(AllKmem, Names(new FtraceKmemParser().ParseFile(path, new TraceStats())));
    }

    [Fact]
    public void Piped_gzip_input_that_cannot_seek_is_decompressed()
    {
        using var reader = TraceSource.Open(new NonSeekableStream(Gzip(Trace)));

        Assert.Equal(AllKmem, Names(new FtraceKmemParser().Parse(reader, new TraceStats())));
    }

    [Fact]
    public void Piped_text_input_keeps_its_first_bytes()
    {
        using var reader = TraceSource.Open(new NonSeekableStream(Encoding.UTF8.GetBytes(Trace)));

        Assert.Equal(Trace, reader.ReadToEnd());
    }

    [Fact]
    public void Strict_errors_name_the_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.trace.gz");
        File.WriteAllBytes(path, Gzip(TraceSamples.Lines(TraceSamples.Kfree, "  bash-1 [000] d..1. 1.0: kfree: call_site=x")));
        var parser = new FtraceKmemParser { Strict = true };

        var ex = Assert.Throws<FormatException>(() => parser.ParseFile(path, new TraceStats()).ToList());

        Assert.Equal($"{path}:2: kfree: missing ptr=", ex.Message);
    }

    [Fact]
    public void Missing_file_is_a_format_error_naming_it()
    {
        using var dir = new TempDirectory();
        var path = dir.File("absent.trace");

        var ex = Assert.Throws<FormatException>(() => TraceSource.Open(path));

        Assert.Equal($"{path}: file not found", ex.Message);
    }

    [Fact]
    public void Gz_name_without_gzip_data_is_a_format_error()
    {
        using var dir = new TempDirectory();
        var path = dir.File("trace.gz");
        File.WriteAllText(path, Trace);

        var ex = Assert.Throws<FormatException>(() => TraceSource.Open(path));

        Assert.Equal($"{path}: named .gz but not gzip data", ex.Message);
    }

    [Fact]
    public void Corrupt_gzip_data_is_a_format_error_naming_file_and_line()
    {
        using var dir = new TempDirectory();
        var path = dir.File("trace.gz");
        var data = Gzip(string.Concat(Enumerable.Repeat(TraceSamples.Kmalloc + "\n", 2000)));
        for (var i = 20; i < data.Length - 20; i += 7)
        {
            data[i] ^= 0x5a;
        }
        File.WriteAllBytes(path, data);

        var ex = Assert.Throws<FormatException>(() => new FtraceKmemParser { Strict = true }.ParseFile(path, new TraceStats()).ToList());

        Assert.StartsWith($"{path}:", ex.Message);
        Assert.Contains("cannot read", ex.Message);
    }

    [Fact]
    public void Truncated_gzip_is_a_format_error_naming_file_and_line_where_it_ends()
    {
        using var dir = new TempDirectory();
        var path = dir.File("trace.gz");
        var whole = Gzip(string.Concat(Enumerable.Repeat(TraceSamples.Kmalloc + "\n", 2000)));
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);

        var ex = Assert.Throws<FormatException>(() => new FtraceKmemParser { Strict = true }.ParseFile(path, new TraceStats()).ToList());

        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(path)}:\d+: cannot read: gzip data is truncated or corrupt", ex.Message);
    }

    [Fact]
    public void Lenient_parsing_stops_at_a_truncated_gzip_and_says_why()
    {
        using var dir = new TempDirectory();
        var path = dir.File("trace.gz");
        var whole = Gzip(string.Concat(Enumerable.Repeat(TraceSamples.Kmalloc + "\n", 2000)));
        File.WriteAllBytes(path, whole[..(whole.Length / 2)]);
        var stats = new TraceStats();

        var events = new FtraceKmemParser().ParseFile(path, stats).Count();

        Assert.InRange(events, 1, 1999);
        Assert.StartsWith($"{path}:{events + 1}: cannot read: gzip data is truncated or corrupt", stats.ReadError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_complete_gzip_trace_has_no_read_error()
    {
        using var dir = new TempDirectory();
        var path = dir.File("trace.gz");
        File.WriteAllBytes(path, Gzip(string.Concat(Enumerable.Repeat(TraceSamples.Kmalloc + "\n", 2000))));
        var stats = new TraceStats();

        Assert.Equal(2000, new FtraceKmemParser().ParseFile(path, stats).Count());
        Assert.Null(stats.ReadError);
    }

    [Fact]
    public void A_line_without_end_is_capped_instead_of_filling_memory()
    {
        using var dir = new TempDirectory();
        var path = dir.File("trace.gz");
        File.WriteAllBytes(path, Gzip(TraceSamples.Kmalloc + "\n" + new string('x', 3 << 20)));
        var stats = new TraceStats();

        var ex = Assert.Throws<FormatException>(() => new FtraceKmemParser { Strict = true }.ParseFile(path, stats).ToList());

        Assert.Equal($"{path}:2: cannot read: a line longer than 1048576 characters: not an ftrace text trace", ex.Message);
    }
}
