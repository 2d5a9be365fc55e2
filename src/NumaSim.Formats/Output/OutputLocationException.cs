namespace NumaSim.Formats.Output;

/// <summary>The output tree's location cannot take the tree: not writable, full, or held by another run.</summary>
public sealed class OutputLocationException : IOException
{
    public OutputLocationException(string dir, string problem, Exception? inner = null)
        : base($"--out {dir}: {problem}".ReplaceLineEndings(" "), inner)
    {
        Dir = dir;
    }

    public string Dir { get; }
}
