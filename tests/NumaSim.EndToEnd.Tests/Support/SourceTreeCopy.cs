namespace NumaSim.EndToEnd.Tests.Support;

/// <summary>
/// The files a build of the CLI needs (Directory.*.props, src/, config/, bench/native/), copied without their
/// bin/ and obj/ into a temporary folder: a pack or publish there cannot rewrite the numasim.dll other tests run.
/// </summary>
public sealed class SourceTreeCopy : IDisposable
{
    private static readonly string[] Files = ["Directory.Build.props", "Directory.Packages.props"];
    private static readonly string[] Folders = ["src", "config", Path.Combine("bench", "native")];

    private readonly TempDirectory _dir = new();

    public SourceTreeCopy()
    {
        Root = Directory.CreateDirectory(_dir["tree"]).FullName;
        foreach (var file in Files)
        {
            File.Copy(Path.Combine(CliRunner.RepoRoot, file), Path.Combine(Root, file));
        }
        foreach (var folder in Folders)
        {
            Copy(Path.Combine(CliRunner.RepoRoot, folder), Path.Combine(Root, folder));
        }
    }

    /// <summary>The copy's root, standing for the repository's.</summary>
    public string Root { get; }

    /// <summary>A fresh folder beside the copy, outside it.</summary>
    public string NewFolder(string name) => Directory.CreateDirectory(_dir[name]).FullName;

    public void Dispose() => _dir.Dispose();

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (var sub in Directory.GetDirectories(from).Where(d => Path.GetFileName(d) is not ("bin" or "obj")))
        {
            Copy(sub, Path.Combine(to, Path.GetFileName(sub)));
        }
    }
}
