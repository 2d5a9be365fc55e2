using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using NumaSim.Actors.Messages;

namespace NumaSim.Cluster.Serialization;

/// <summary>
/// A sample of a message type with every field filled (strings, one element in every collection, one entry in
/// every dictionary, nested records alike, to a bounded depth), so that serializing it reaches every formatter a
/// real message of that type would use. Values are meaningless: samples only ever go to <see cref="SerializerWarmup"/>.
/// </summary>
internal static class MessageSamples
{
    private const int MaxDepth = 8;

    public static object? Of(Type type) => Of(type, 0);

    private static object? Of(Type type, int depth)
    {
        if (depth > MaxDepth || type == typeof(object) || typeof(Delegate).IsAssignableFrom(type) || type.IsPointer || type.IsByRef)
        {
            return null;
        }
        if (type == typeof(string))
        {
            return "x";
        }
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Of(underlying, depth);
        }
        if (type.IsPrimitive || type.IsEnum || type == typeof(decimal))
        {
            return Activator.CreateInstance(type);
        }
        if (type == typeof(ISimPayload))
        {
            // Any payload will do for a field typed by the interface: each payload type is warmed on its own as well.
            return SimMessageTypes.Payloads.Count > 0 ? Of(SimMessageTypes.Payloads[0], depth + 1) : null;
        }
        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            var array = Array.CreateInstance(element, 1);
            array.SetValue(Of(element, depth + 1), 0);
            return array;
        }
        if (Collection(type, depth) is { } collection)
        {
            return collection;
        }
        if (type.IsInterface || type.IsAbstract || type.ContainsGenericParameters)
        {
            return null;
        }
        var sample = RuntimeHelpers.GetUninitializedObject(type);
        for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                field.SetValue(sample, Of(field.FieldType, depth + 1));
            }
        }
        return sample;
    }

    /// <summary>A list, set or dictionary of one sample element, as the declared type allows; null for any other type.</summary>
    private static object? Collection(Type type, int depth)
    {
        if (!type.IsGenericType || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }
        var arguments = type.GetGenericArguments();
        if (arguments.Length == 2 && Implements(type, typeof(IReadOnlyDictionary<,>), typeof(IDictionary<,>)))
        {
            var concrete = type.IsInterface ? typeof(Dictionary<,>).MakeGenericType(arguments) : type;
            var dictionary = (IDictionary)Activator.CreateInstance(concrete)!;
            if (Of(arguments[0], depth + 1) is { } key)
            {
                dictionary[key] = Of(arguments[1], depth + 1);
            }
            return dictionary;
        }
        if (arguments.Length == 1)
        {
            var concrete = type.IsInterface
                ? (Implements(type, typeof(ISet<>), typeof(IReadOnlySet<>)) ? typeof(HashSet<>) : typeof(List<>)).MakeGenericType(arguments)
                : type;
            var add = concrete.GetMethod("Add", [arguments[0]]);
            if (add is null || concrete.IsValueType)
            {
                return null;
            }
            var collection = Activator.CreateInstance(concrete)!;
            add.Invoke(collection, [Of(arguments[0], depth + 1)]);
            return collection;
        }
        return null;
    }

    private static bool Implements(Type type, params Type[] generics) =>
        (type.IsGenericType && generics.Contains(type.GetGenericTypeDefinition()))
        || type.GetInterfaces().Any(i => i.IsGenericType && generics.Contains(i.GetGenericTypeDefinition()));
}
