using System.Reflection;
using NumaSim.Actors.Messages;

namespace NumaSim.Cluster.Serialization;

/// <summary>
/// The types that cross processes, found by reflection so that a message added later needs no
/// serializer change: every public concrete <see cref="ISimMessage"/> (manifest: its short name)
/// and every public concrete <see cref="ISimPayload"/> (a small code inside batches, ordered by
/// full name, the same in every process of one build).
/// </summary>
public static class SimMessageTypes
{
    private static readonly Assembly[] Assemblies = [typeof(ISimMessage).Assembly, typeof(SimMessageTypes).Assembly];

    public static IReadOnlyList<Type> Messages { get; } = Find(typeof(ISimMessage));

    public static IReadOnlyList<Type> Payloads { get; } = Find(typeof(ISimPayload));

    public static IReadOnlyDictionary<string, Type> ByManifest { get; } = Messages.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public static IReadOnlyDictionary<Type, int> PayloadCodes { get; } =
        Payloads.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);

    private static Type[] Find(Type marker)
    {
        var found = Assemblies.SelectMany(a => a.GetExportedTypes())
            .Where(t => marker.IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface && !t.ContainsGenericParameters)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToArray();
        var clash = found.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new InvalidOperationException($"two {marker.Name} types are named {clash.Key}: manifests must be unique");
        }
        return found;
    }
}
