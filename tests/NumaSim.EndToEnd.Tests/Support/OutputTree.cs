using System.Text.Json.Nodes;

namespace NumaSim.EndToEnd.Tests.Support;

/// <summary>Reads a `numasim run --out DIR` tree.</summary>
public static class OutputTree
{
    /// <summary>Every file under <paramref name="root"/>, as sorted '/'-separated relative paths.</summary>
    public static IReadOnlyList<string> Files(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static JsonObject Summary(string root) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(root, "summary.json"))) as JsonObject
        ?? throw new InvalidOperationException("summary.json is not a JSON object");

    /// <summary>
    /// summary.json without what may differ between two runs of the same scenario and seed:
    /// keys ending in _seconds or _per_second (at any depth) and the members block.
    /// </summary>
    public static JsonObject ReproducibleSummary(string root)
    {
        var summary = Summary(root);
        summary.Remove("members");
        StripWallClock(summary);
        return summary;
    }

    /// <summary>The per-node numastat files concatenated in node order.</summary>
    public static string SysNumastat(string root)
    {
        var nodes = Path.Combine(root, "sys", "devices", "system", "node");
        return string.Concat(Directory.GetDirectories(nodes, "node*")
            .OrderBy(d => int.Parse(Path.GetFileName(d)[4..], System.Globalization.CultureInfo.InvariantCulture))
            .Select(d => Path.GetFileName(d) + "\n" + File.ReadAllText(Path.Combine(d, "numastat"))));
    }

    private static void StripWallClock(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (key.EndsWith("_seconds", StringComparison.Ordinal) || key.EndsWith("_per_second", StringComparison.Ordinal))
                    {
                        obj.Remove(key);
                    }
                    else
                    {
                        StripWallClock(obj[key]);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    StripWallClock(item);
                }
                break;
        }
    }
}
