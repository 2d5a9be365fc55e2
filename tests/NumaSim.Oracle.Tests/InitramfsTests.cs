using System.IO.Compression;
using System.Text;
using NumaSim.Oracle.Guest;

namespace NumaSim.Oracle.Tests;

public sealed class InitramfsTests
{
    [Fact]
    public void Newc_entries_are_header_name_and_data_padded_to_four_bytes_then_the_trailer()
    {
        var bytes = Cpio(new Initramfs().Directory("bin").File("bin/x", "hello", executable: true));

        var entries = Parse(bytes);

        Assert.Equal(["bin", "bin/x", "TRAILER!!!"], entries.Select(e => e.Name));
        Assert.Equal(0x41ED, entries[0].Mode);           // directory 0755
        Assert.Equal(0x81ED, entries[1].Mode);           // regular file 0755
        Assert.Equal("hello", Encoding.ASCII.GetString(entries[1].Data));
        Assert.Equal(0, bytes.Length % 4);
    }

    [Fact]
    public void A_plain_file_is_0644_and_the_archive_is_gzip()
    {
        var gz = new Initramfs().File("init", "#!/bin/sh\n").ToGzip();
        using var unzip = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        unzip.CopyTo(plain);

        var entry = Parse(plain.ToArray())[0];

        Assert.Equal("init", entry.Name);
        Assert.Equal(0x81A4, entry.Mode);
    }

    [Fact]
    public async Task Busybox_cpio_lists_what_was_written()
    {
        if (!File.Exists("/bin/busybox"))
        {
            return; // the format itself is checked above; this is the second opinion of the tool the guest uses
        }
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("a.cpio"), Cpio(new Initramfs().Directory("d").File("d/f", new byte[5]).File("g", "x")));

        var listing = await HostProcess.RunAsync("/bin/sh", ["-c", $"/bin/busybox cpio -t < {dir.File("a.cpio")}"], TimeSpan.FromSeconds(10));

        Assert.Equal(0, listing.ExitCode);
        Assert.Equal(["d", "d/f", "g"], listing.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.Contains("blocks", StringComparison.Ordinal)));
    }

    private static byte[] Cpio(Initramfs image)
    {
        using var stream = new MemoryStream();
        image.WriteCpio(stream);
        return stream.ToArray();
    }

    private static List<(string Name, int Mode, byte[] Data)> Parse(byte[] bytes)
    {
        var result = new List<(string, int, byte[])>();
        var at = 0;
        while (true)
        {
            Assert.Equal("070701", Encoding.ASCII.GetString(bytes, at, 6));
            int Field(int i) => Convert.ToInt32(Encoding.ASCII.GetString(bytes, at + 6 + (8 * i), 8), 16);
            var mode = Field(1);
            var size = Field(6);
            var nameSize = Field(11);
            var name = Encoding.UTF8.GetString(bytes, at + 110, nameSize - 1);
            var data = Align(at + 110 + nameSize);
            result.Add((name, mode, bytes[data..(data + size)]));
            at = Align(data + size);
            if (name == "TRAILER!!!")
            {
                return result;
            }
        }
    }

    private static int Align(int n) => (n + 3) & ~3;
}
