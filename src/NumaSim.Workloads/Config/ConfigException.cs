namespace NumaSim.Workloads.Config;

/// <summary>Bad input in a configuration file: one line that names the file, line and key.</summary>
public sealed class ConfigException(string file, int line, string path, string problem)
    : Exception(line > 0 ? $"{file}:{line}: {path}: {problem}" : $"{file}: {problem}")
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public string KeyPath { get; } = path;
    public string Problem { get; } = problem;
}
