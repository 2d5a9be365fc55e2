namespace NumaSim.Formats.Trace;

/// <summary>
/// Opens a trace for <see cref="FtraceKmemParser"/>: a file, "-" for standard input, gzip
/// (a .gz name, or the 1f 8b magic on any input) decompressed on the fly.
/// </summary>
public static class TraceSource
{
    /// <summary>The path that names standard input.</summary>
    public const string StandardInput = "-";

    private const int BufferSize = 1 << 16;

    /// <summary>What errors call the input: the path, or "&lt;stdin&gt;" for "-".</summary>
    public static string DisplayName(string path) => path == StandardInput ? "<stdin>" : path;

    /// <exception cref="FormatException">The file is missing or unreadable, or named .gz but not gzip.</exception>
    public static TextReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path == StandardInput)
        {
            return Open(Console.OpenStandardInput());
        }
        if (Directory.Exists(path))
        {
            throw new FormatException($"{path}: is a directory, not a trace file");
        }
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FormatException($"{path}: file not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"{path}: cannot read: {e.Message}".ReplaceLineEndings(" "), e);
        }
        try
        {
            var reader = Open(file);
            if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) && !IsGzip(reader))
            {
                reader.Dispose();
                throw new FormatException($"{path}: named .gz but not gzip data");
            }
            return reader;
        }
        catch (IOException e)
        {
            file.Dispose();
            throw new FormatException($"{path}: cannot read: {e.Message}".ReplaceLineEndings(" "), e);
        }
    }

    /// <summary>A reader over a stream, gunzipped when it starts with the gzip magic; owns the stream.</summary>
    public static TextReader Open(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var magic = new byte[2];
        var read = 0;
        while (read < magic.Length && stream.Read(magic, read, magic.Length - read) is var n and > 0)
        {
            read += n;
        }
        Stream text;
        if (stream.CanSeek)
        {
            stream.Seek(-read, SeekOrigin.Current);
            text = stream;
        }
        else
        {
            text = new PrefixedStream(magic, read, stream);
        }
        var gzip = read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        if (gzip)
        {
            text = new CheckedGzipStream(text);
        }
        return new TraceReader(text, gzip, BufferSize);
    }

    private static bool IsGzip(TextReader reader) => reader is TraceReader { IsGzip: true };
}
