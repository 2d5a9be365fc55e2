namespace NumaSim.Workloads.Config;

/// <summary>Finds the shipped config/ folder (topologies/, scenarios/) and the embedded reference.conf.</summary>
public static class ShippedConfig
{
    public const string EnvironmentVariable = "NUMASIM_CONFIG_DIR";

    /// <summary>
    /// $NUMASIM_CONFIG_DIR, else the nearest config/ holding topologies/ from the current directory up (the
    /// repository's own, as the user sees it: errors name config/scenarios/default.conf, not a copy), else the one
    /// beside the program. Under the current directory it is given relative to it.
    /// </summary>
    public static string Directory
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return fromEnv;
            }
            var current = System.IO.Directory.GetCurrentDirectory();
            foreach (var start in new[] { current, AppContext.BaseDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    var candidate = Path.Combine(dir.FullName, "config");
                    if (System.IO.Directory.Exists(Path.Combine(candidate, "topologies")))
                    {
                        return start == current && dir.FullName == current ? "config" : candidate;
                    }
                }
            }
            return Path.Combine(AppContext.BaseDirectory, "config");
        }
    }

    public static string DefaultScenario => Scenario("default");

    public static string Scenario(string name) => Path.Combine(Directory, "scenarios", name + ".conf");

    public static string Topology(string name) => Path.Combine(Directory, "topologies", name + ".conf");

    /// <summary>The shipped scenarios' names (default, first-touch, ...), for messages.</summary>
    public static IReadOnlyList<string> ScenarioNames => Names("scenarios");

    /// <summary>The shipped topologies' names (single-node, two-socket, ...), for messages.</summary>
    public static IReadOnlyList<string> TopologyNames => Names("topologies");

    /// <summary>
    /// A scenario argument as a path: a file as given, else the shipped scenario of that name (`first-touch` is
    /// config/scenarios/first-touch.conf); null is the default scenario. A directory or a name that is neither is a
    /// <see cref="ConfigException"/>.
    /// </summary>
    public static string ResolveScenario(string? argument) =>
        argument is null ? DefaultScenario : Resolve(argument, "scenario", Scenario, ScenarioNames);

    /// <summary>A --topology argument as a path: a file as given, else the shipped topology of that name (two-socket).</summary>
    public static string ResolveTopology(string argument) => Resolve(argument, "topology", Topology, TopologyNames);

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

    private static string Resolve(string argument, string what, Func<string, string> shipped, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (File.Exists(argument))
        {
            return argument;
        }
        var shippedNames = $"shipped {what}s: {string.Join(", ", names)}";
        if (System.IO.Directory.Exists(argument))
        {
            throw new ConfigException(argument, 0, "(file)", $"is a directory; give a {what} file or a shipped {what}'s name ({shippedNames})");
        }
        var isName = argument.Length > 0 && argument.IndexOfAny(['/', '\\']) < 0 && !argument.EndsWith(".conf", StringComparison.Ordinal);
        if (isName && File.Exists(shipped(argument)))
        {
            return shipped(argument);
        }
        throw new ConfigException(argument, 0, "(file)", isName ? $"no such file, nor a shipped {what} ({shippedNames})" : "no such file");
    }

    private static List<string> Names(string folder)
    {
        var dir = Path.Combine(Directory, folder);
        return System.IO.Directory.Exists(dir)
            ? [.. System.IO.Directory.EnumerateFiles(dir, "*.conf").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)]
            : [];
    }
}
