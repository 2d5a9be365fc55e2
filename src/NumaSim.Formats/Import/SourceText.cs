namespace NumaSim.Formats.Import;

/// <summary>
/// The lines of one input file, with the errors that name it: every import failure is a
/// FormatException whose one-line message reads "FILE:LINE: what is wrong", as the CLI's
/// exit code 2 contract asks.
/// </summary>
internal sealed class SourceText
{
    private SourceText(string path, IReadOnlyList<string> lines)
    {
        Path = path;
        Lines = lines;
    }

    public string Path { get; }

    /// <summary>The file's lines; line number n (1-based) is Lines[n - 1].</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <exception cref="FormatException">The file is missing or unreadable.</exception>
    public static SourceText Read(string path) =>
        TryRead(path) ?? throw new FormatException(Directory.Exists(path) ? $"{path}: is a directory, not a file" : $"{path}: file not found");

    /// <summary>The file, or null when it does not exist.</summary>
    /// <exception cref="FormatException">The file exists but cannot be read.</exception>
    public static SourceText? TryRead(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return new SourceText(path, File.ReadAllLines(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"{path}: cannot read: {OneLine(e.Message)}", e);
        }
    }

    public FormatException Error(int lineNumber, string what) => new($"{Path}:{lineNumber}: {OneLine(what)}");

    public FormatException Error(int lineNumber, string what, Exception inner) =>
        new($"{Path}:{lineNumber}: {OneLine(what)}", inner);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
