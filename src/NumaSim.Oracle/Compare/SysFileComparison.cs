using System.Text.RegularExpressions;

namespace NumaSim.Oracle.Compare;

/// <summary>One sysfs file on both sides: its text on the kernel (null: absent) and in the simulator's tree.</summary>
public sealed record SysFileRow(string File, string? Real, string? Simulated)
{
    public bool Agrees => Real == Simulated;
}

/// <summary>
/// The files of the machine's layout that the kernel computes at boot and the simulator computes again, compared
/// byte for byte: the memory tiers (memory_tier&lt;K&gt;/nodelist, from HMAT) and each node's HMAT access
/// attributes (access0/initiators/*). A tier on one side only is a disagreement, as is any other byte.
/// </summary>
public sealed partial class SysFileComparison
{
    private SysFileComparison(IReadOnlyList<SysFileRow> rows) => Rows = rows;

    public IReadOnlyList<SysFileRow> Rows { get; }

    public bool Agrees => Rows.All(r => r.Agrees);

    /// <summary>Both trees are laid out as the kernel's: sys/devices/... under each root.</summary>
    public static SysFileComparison Of(string realRoot, string simulatedRoot)
    {
        var files = Compared(realRoot).Union(Compared(simulatedRoot)).Order(StringComparer.Ordinal);
        return new SysFileComparison([.. files.Select(f => new SysFileRow(f, Read(realRoot, f), Read(simulatedRoot, f)))]);
    }

    private static IEnumerable<string> Compared(string root)
    {
        var sys = Path.Combine(root, "sys");
        if (!Directory.Exists(sys))
        {
            return [];
        }
        return Directory.EnumerateFiles(sys, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => ComparedFile().IsMatch(f));
    }

    private static string? Read(string root, string file)
    {
        var path = Path.Combine(root, file);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    [GeneratedRegex(@"^sys/devices/(virtual/memory_tiering/memory_tier[0-9]+/nodelist|system/node/node[0-9]+/access0/initiators/(read|write)_(latency|bandwidth))$")]
    private static partial Regex ComparedFile();
}
