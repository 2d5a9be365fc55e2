namespace NumaSim.Workloads.Config;

/// <summary>Finds the shipped config/ folder (topologies/, scenarios/) and the embedded reference.conf.</summary>
public static class ShippedConfig
{
    public const string EnvironmentVariable = "NUMASIM_CONFIG_DIR";

    public static string Directory
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return fromEnv;
            }
            foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Directory.GetCurrentDirectory() })
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    var candidate = Path.Combine(dir.FullName, "config");
                    if (System.IO.Directory.Exists(Path.Combine(candidate, "topologies")))
                    {
                        return candidate;
                    }
                }
            }
            return Path.Combine(AppContext.BaseDirectory, "config");
        }
    }

    public static string DefaultScenario => Path.Combine(Directory, "scenarios", "default.conf");

    public static string Topology(string name) => Path.Combine(Directory, "topologies", name + ".conf");

    /// <summary>
    /// A --topology argument: a file when one is there or the argument reads as a path, else a shipped topology's name
    /// (`--topology two-socket`), so that an installed numasim finds its own topologies from any directory.
    /// </summary>
    public static string TopologyArgument(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        return LooksLikePath(argument) || File.Exists(argument) ? argument : Topology(argument);
    }

    /// <summary>A topology named with a '/' or ending in .conf is a file; anything else is a shipped name.</summary>
    public static bool LooksLikePath(string name) =>
        name.Contains('/', StringComparison.Ordinal) || name.EndsWith(".conf", StringComparison.Ordinal);

    public static string ReferenceConfText()
    {
        using var stream = typeof(ShippedConfig).Assembly.GetManifestResourceStream("NumaSim.reference.conf")
            ?? throw new InvalidOperationException("reference.conf is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
