using System.Buffers.Binary;
using System.IO.Compression;
using NumaSim.EndToEnd.Tests.Support;

namespace NumaSim.EndToEnd.Tests;

public sealed class ReportTests
{
    private static readonly string[] Charts = ["free-pages.png", "latency.png", "numastat.png", "tlb.png", "traffic.png"];

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
