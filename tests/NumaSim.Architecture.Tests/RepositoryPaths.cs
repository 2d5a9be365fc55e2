namespace NumaSim.Architecture.Tests;

internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Project(string name) => Path.Combine(Root, "src", name, name + ".csproj");

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
