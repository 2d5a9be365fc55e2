namespace NumaSim.Oracle.Tests.Support;

/// <summary>Paths in the repository the tests read (the folder holding NumaSim.sln).</summary>
internal static class Repo
{
    public static string Root { get; } = Find();

    public static string File(string relative) => Path.Combine(Root, relative);

    /// <summary>A program on PATH, or null.</summary>
    public static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(System.IO.File.Exists);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "NumaSim.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("NumaSim.sln not found above " + AppContext.BaseDirectory);
    }
}
