using Akka.Configuration.Hocon;

namespace NumaSim.Workloads.Config;

/// <summary>
/// Substitution cycles in a parsed HOCON tree (`seed = ${numasim.seed}` inside numasim, `a = ${b}, b = ${a}`):
/// HOCON calls them an error, and Akka's parser, which resolves them by reading the target, recurses without end.
/// </summary>
internal static class HoconCycles
{
    /// <summary>The path of a substitution that leads back to itself, or null.</summary>
    public static string? Find(HoconValue root)
    {
        var done = new HashSet<HoconValue>(ReferenceEqualityComparer.Instance);
        var onPath = new HashSet<HoconValue>(ReferenceEqualityComparer.Instance);
        return Visit(root, onPath, done, null);
    }

    private static string? Visit(HoconValue value, HashSet<HoconValue> onPath, HashSet<HoconValue> done, string? via)
    {
        if (done.Contains(value))
        {
            return null;
        }
        if (!onPath.Add(value))
        {
            return via ?? "?";
        }
        foreach (var element in value.Values)
        {
            var found = element switch
            {
                HoconSubstitution { ResolvedValue: { } target } s => Visit(target, onPath, done, s.Path),
                HoconObject o => o.Items.Values.Select(v => Visit(v, onPath, done, via)).FirstOrDefault(c => c is not null),
                HoconArray a => a.Select(v => Visit(v, onPath, done, via)).FirstOrDefault(c => c is not null),
                _ => null,
            };
            if (found is not null)
            {
                return found;
            }
        }
        onPath.Remove(value);
        done.Add(value);
        return null;
    }
}
