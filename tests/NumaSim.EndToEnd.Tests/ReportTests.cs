using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

public sealed class ReportTests
{
    private static readonly string[] Charts = ["free-pages.png", "latency.png", "node-memory.png", "numastat.png", "reclaim.png", "tlb.png", "traffic.png", "watermarks-node0-Normal.png"];

    [Fact]
    public void Every_run_writes_report_html_with_valid_png_charts_beside_it()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run(dir.Path, "run", Path.Combine(CliRunner.RepoRoot, "config", "scenarios", "interleave.conf"), "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());

        var html = File.ReadAllText(dir["out/report.html"]);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        // Readable without a network: nothing is fetched from anywhere.
        Assert.DoesNotContain("http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        var numastat = OutputTree.Summary(dir["out"])["numastat"]!["node1"]!["numa_hit"]!.GetValue<long>();
        Assert.Contains($"<td>{numastat}</td>", html, StringComparison.Ordinal);
        foreach (var chart in Charts)
        {
            Assert.Contains($"src=\"report/{chart}\"", html, StringComparison.Ordinal);
            var png = File.ReadAllBytes(dir["out/report/" + chart]);
            AssertPng(chart, png, 800, 450);
        }
    }

    [Fact]
    public void The_report_of_slab_debug_reads_as_a_kernel_engineer_would()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run(dir.Path, "run", Path.Combine(CliRunner.RepoRoot, "config", "scenarios", "slab-debug.conf"), "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        var html = File.ReadAllText(dir["out/report.html"]);

        // What the kernel printed, line for line as on standard error, its BUG lines marked.
        Assert.NotEmpty(run.StderrLines);
        foreach (var line in run.StderrLines)
        {
            Assert.Contains(WebUtility.HtmlEncode(line), html, StringComparison.Ordinal);
        }
        var bug = run.StderrLines.First(l => l.Contains("BUG kmalloc-128 (Not tainted): Right Redzone overwritten", StringComparison.Ordinal));
        Assert.Contains($"<span class=\"bad\">{WebUtility.HtmlEncode(bug)}</span>", html, StringComparison.Ordinal);
        Assert.Contains("Objects remaining in buggy_cache on __kmem_cache_shutdown()", html, StringComparison.Ordinal);

        // The counters that moved, and only those; slab-debug's reports stand out.
        var reports = OutputTree.Summary(dir["out"])["kernel"]!["debug_reports"]!.GetValue<long>();
        Assert.True(reports > 0);
        Assert.Contains($"<tr class=\"bad\"><td>kernel.debug_reports</td><td>summary.json</td><td>{reports}</td></tr>", html, StringComparison.Ordinal);
        foreach (var (name, value) in File.ReadAllLines(dir["out/proc/vmstat"]).Select(l => l.Split(' ')).Select(p => (p[0], p[1])))
        {
            var row = $"<td>{name}</td><td>/proc/vmstat</td><td>{value}</td></tr>";
            if (value == "0")
            {
                Assert.DoesNotContain(row, html, StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains(row, html, StringComparison.Ordinal);
            }
        }

        // Each populated zone's free pages against min/low/high, as /proc/zoneinfo has them, and its chart over time.
        var zones = Zoneinfo(File.ReadAllText(dir["out/proc/zoneinfo"])).Where(z => z.Managed > 0).ToList();
        Assert.Equal(4, zones.Count);
        foreach (var z in zones)
        {
            Assert.Contains($"<td>Node {z.Node}, zone {z.Zone}</td><td>{z.Managed}</td><td>{z.Free}</td><td>{z.Min}</td><td>{z.Low}</td><td>{z.High}</td>", html, StringComparison.Ordinal);
            var chart = $"report/watermarks-node{z.Node}-{z.Zone}.png";
            Assert.Contains($"src=\"{chart}\"", html, StringComparison.Ordinal);
            AssertPng(chart, File.ReadAllBytes(dir["out/" + chart]), 800, 450);
        }

        // The unusable free space index of each zone and order, worked out here from /proc/buddyinfo.
        foreach (var line in File.ReadAllLines(dir["out/proc/buddyinfo"]))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var zone = $"Node {words[1].TrimEnd(',')}, zone {words[3]}";
            var blocks = words[4..].Select(w => long.Parse(w, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var free = blocks.Select((n, o) => n << o).Sum();
            var cells = string.Concat(blocks.Select((_, order) =>
            {
                var unusable = blocks.Select((n, o) => o < order ? n << o : 0).Sum();
                var thousandths = free == 0 ? 1000 : unusable * 1000 / free;
                return $"<td{(thousandths >= 500 ? " class=\"bad\"" : "")}>{thousandths / 1000}.{thousandths % 1000:D3}</td>";
            }));
            Assert.Contains($"<tr><td>{zone}</td>{cells}</tr>", html, StringComparison.Ordinal);
        }
        // The DMA zone's largest blocks are few: its index at order 10 is not zero.
        Assert.Matches(@"<tr><td>Node 0, zone DMA</td>(<td[^>]*>\d\.\d{3}</td>){10}<td[^>]*>0\.[1-9]\d\d</td></tr>", html);

        Assert.Contains("<td>numasim.seed</td><td>3</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>scenario</td><td>slab-debug.conf</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_shows_memory_access_latency_by_node_pair()
    {
        using var dir = new TempDirectory();
        var run = CliRunner.Run(dir.Path, "run", Path.Combine(CliRunner.RepoRoot, "config", "scenarios", "interleave.conf"), "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        var html = File.ReadAllText(dir["out/report.html"]);

        // Interleaved pages: the CPUs of each node walk to pages on both nodes, the far ones at the SLIT distance and slower
        // (reads of pages never written go to the zero page, on node 0, so the counts differ).
        var local = Regex.Match(html, @"<tr><td>walk</td><td>0</td><td>0</td><td>10</td><td>(?<count>\d+)</td><td>(?<p50>\d+)</td>");
        var remote = Regex.Match(html, @"<tr><td>walk</td><td>0</td><td>1</td><td>21</td><td>(?<count>\d+)</td><td>(?<p50>\d+)</td>");
        Assert.True(local.Success && remote.Success, html);
        Assert.True(long.Parse(remote.Groups["p50"].Value, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(local.Groups["p50"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed record ZoneinfoZone(int Node, string Zone, long Free, long Min, long Low, long High, long Managed);

    [Fact]
    public void On_a_tiered_machine_the_report_shows_each_tiers_pages_and_on_one_tier_nothing_of_the_kind()
    {
        using var dir = new TempDirectory();
        // cxl-tiered: DRAM nodes 0-1 in memory_tier4, the CXL expander (node 2) in memory_tier28; 16 MiB bound there.
        var scenario = dir.Write("tiered.conf", """
            numasim {
              seed = 1
              topology = "cxl-tiered"
              workload.tasks = [ { cpus = "0", steps = [ { policy = "bind:2" }, { touch = 16M } ] } ]
            }
            """);
        var run = CliRunner.Run(dir.Path, "run", scenario, "--out", "out", "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());
        var html = File.ReadAllText(dir["out/report.html"]);

        Assert.Contains("<a href=\"#tiers\">memory tiers</a>", html, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"tiers\">", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>memory_tier4</td><td>0-1</td><td>0</td><td>0</td><td>0</td>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>memory_tier28</td><td>2</td><td>4096</td><td>0</td><td>4096</td>", html, StringComparison.Ordinal);
        Assert.Contains("src=\"report/memory-tiers.png\"", html, StringComparison.Ordinal);
        AssertPng("memory-tiers.png", File.ReadAllBytes(dir["out/report/memory-tiers.png"]), 800, 450);

        var single = CliRunner.Run(dir.Path, "run", Path.Combine(CliRunner.RepoRoot, "config", "scenarios", "interleave.conf"), "--out", "one", "--quiet");
        Assert.True(single.ExitCode == 0, single.ToString());
        Assert.DoesNotContain("tiers", File.ReadAllText(dir["one/report.html"]), StringComparison.Ordinal);
        Assert.False(File.Exists(dir["one/report/memory-tiers.png"]));
    }

    private static IEnumerable<ZoneinfoZone> Zoneinfo(string text)
    {
        foreach (var block in text.Split("\nNode ").Select(b => b.StartsWith("Node ", StringComparison.Ordinal) ? b[5..] : b))
        {
            var lines = block.Split('\n');
            var head = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long Field(string prefix) => long.Parse(lines.First(l => l.TrimStart().StartsWith(prefix + " ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], System.Globalization.CultureInfo.InvariantCulture);
            yield return new ZoneinfoZone(int.Parse(head[0].TrimEnd(','), System.Globalization.CultureInfo.InvariantCulture), head[2], Field("pages free"), Field("min"), Field("low"), Field("high"), Field("managed"));
        }
    }

    /// <summary>The PNG signature, an IHDR of the given size, a CRC-correct chunk sequence ending in IEND, and pixel data that inflates.</summary>
    private static void AssertPng(string name, byte[] png, int width, int height)
    {
        Assert.InRange(png.Length, 5_000, 2_000_000);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a }, png[..8]);
        var offset = 8;
        var chunks = new List<string>();
        using var idat = new MemoryStream();
        while (offset < png.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.True(crc == Crc32(png.AsSpan(offset + 4, length + 4)), $"{name}: bad CRC in {type}");
            if (type == "IHDR")
            {
                Assert.Equal(width, (int)BinaryPrimitives.ReadUInt32BigEndian(data));
                Assert.Equal(height, (int)BinaryPrimitives.ReadUInt32BigEndian(data[4..]));
            }
            if (type == "IDAT")
            {
                idat.Write(data);
            }
            chunks.Add(type);
            offset += 12 + length;
        }
        Assert.Equal("IHDR", chunks[0]);
        Assert.Equal("IEND", chunks[^1]);
        idat.Position = 0;
        using var inflate = new ZLibStream(idat, CompressionMode.Decompress);
        using var pixels = new MemoryStream();
        inflate.CopyTo(pixels);
        // Each row: a filter byte and at least 3 bytes a pixel.
        Assert.True(pixels.Length >= (long)height * (1 + width * 3), $"{name}: {pixels.Length} bytes of pixels");
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320).</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }
}
