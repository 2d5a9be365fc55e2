using System.Globalization;

namespace NumaSim.Formats.Import;

/// <summary>
/// The kernel's memory tiers (/sys/devices/virtual/memory_tiering/memory_tier&lt;K&gt;/nodelist): which nodes it
/// ranks as fast and slow memory from their HMAT attributes. The topology does not hold them (the simulator works
/// them out again); the import reports them.
/// </summary>
public static class MemoryTiers
{
    /// <summary>"memory_tier4: nodes 0-1", one per tier, lowest (fastest) tier first; empty when ROOT has none.</summary>
    public static IReadOnlyList<string> Read(string root)
    {
        var dir = Path.Combine(root, "sys", "devices", "virtual", "memory_tiering");
        if (!Directory.Exists(dir))
        {
            return [];
        }
        return [.. Directory.EnumerateDirectories(dir, "memory_tier*")
            .Select(d => (Name: Path.GetFileName(d), Nodes: Path.Combine(d, "nodelist")))
            .Where(t => File.Exists(t.Nodes) && int.TryParse(t.Name["memory_tier".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .OrderBy(t => int.Parse(t.Name["memory_tier".Length..], CultureInfo.InvariantCulture))
            .Select(t => $"{t.Name}: nodes {File.ReadAllText(t.Nodes).Trim()}")];
    }
}
