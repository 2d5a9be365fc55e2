using System.Text;

namespace NumaSim.Formats.Output;

/// <summary>
/// Replaces a file in one step: a reader (numactl, a test, a second run) sees the old file or
/// the new one, never a half-written one. The temporary file sits in the same directory so the
/// final rename stays on one file system and is atomic.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Utf8NoBom.GetBytes(text));

    public static void WriteAllBytes(string path, byte[] bytes)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
            OutputTestHook.AfterFile();
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
