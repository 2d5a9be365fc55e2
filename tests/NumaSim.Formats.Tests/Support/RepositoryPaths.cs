namespace NumaSim.Formats.Tests.Support;

/// <summary>The repository root (the folder holding NumaSim.sln) and the reference data in it.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>tests/data/reference/procfs-6.18: real Linux 6.18 files (1 node, 2 CPUs).</summary>
    public static string Reference { get; } = Path.Combine(Root, "tests", "data", "reference", "procfs-6.18");

    public static string ReferenceFile(string name) => Path.Combine(Reference, name);

    public static string ReadReference(string name) => File.ReadAllText(ReferenceFile(name));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NumaSim.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no NumaSim.sln above {AppContext.BaseDirectory}");
    }
}
