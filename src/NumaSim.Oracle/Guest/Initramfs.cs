using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace NumaSim.Oracle.Guest;

/// <summary>
/// A gzip-compressed cpio archive in the "newc" format the kernel unpacks as its initramfs
/// (Documentation/driver-api/early-userspace/buffer-format.rst), written here so the host needs no cpio.
/// </summary>
public sealed class Initramfs
{
    private const string Magic = "070701";
    private const int DirectoryMode = 0x4000 | 0x1ED; // S_IFDIR | 0755
    private const int FileMode = 0x8000;              // S_IFREG
    private readonly List<(string Path, int Mode, byte[] Data)> _entries = [];

    /// <summary>A directory; its parents must have been added before it.</summary>
    public Initramfs Directory(string path)
    {
        _entries.Add((path, DirectoryMode, []));
        return this;
    }

    /// <param name="executable">Mode 0755 when true, 0644 otherwise.</param>
    public Initramfs File(string path, byte[] data, bool executable = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        _entries.Add((path, FileMode | (executable ? 0x1ED : 0x1A4), data));
        return this;
    }

    public Initramfs File(string path, string text, bool executable = false) => File(path, Encoding.UTF8.GetBytes(text), executable);

    /// <summary>The archive, gzip-compressed (the kernel's initramfs decompressor reads gzip).</summary>
    public byte[] ToGzip()
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
        {
            WriteCpio(gzip);
        }
        return memory.ToArray();
    }

    /// <summary>The uncompressed archive: each entry's header, name and data, padded to 4 bytes, then the trailer.</summary>
    public void WriteCpio(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var inode = 1;
        foreach (var (path, mode, data) in _entries)
        {
            WriteEntry(output, inode++, path, mode, data);
        }
        WriteEntry(output, 0, "TRAILER!!!", 0, []);
    }

    private static void WriteEntry(Stream output, int inode, string path, int mode, byte[] data)
    {
        var name = Encoding.UTF8.GetBytes(path + "\0");
        var nlink = (mode & 0x4000) != 0 ? 2 : 1;
        var header = new StringBuilder(Magic);
        foreach (var field in new long[] { inode, mode, 0, 0, nlink, 0, data.Length, 0, 0, 0, 0, name.Length, 0 })
        {
            header.Append(field.ToString("X8", CultureInfo.InvariantCulture));
        }
        var head = Encoding.ASCII.GetBytes(header.ToString());
        output.Write(head);
        output.Write(name);
        Pad(output, head.Length + name.Length);
        output.Write(data);
        Pad(output, data.Length);
    }

    private static void Pad(Stream output, long written)
    {
        var pad = (int)((4 - (written % 4)) % 4);
        output.Write(new byte[pad]);
    }
}
