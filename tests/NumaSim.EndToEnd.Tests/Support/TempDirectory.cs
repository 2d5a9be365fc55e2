namespace NumaSim.EndToEnd.Tests.Support;

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("numasim-e2e-").FullName;
    }

    public string Path { get; }

    /// <summary>Path of <paramref name="relative"/> inside this directory.</summary>
    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> and returns its full path.</summary>
    public string Write(string name, string text)
    {
        var path = this[name];
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a process killed on timeout may still hold a file for a moment
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
