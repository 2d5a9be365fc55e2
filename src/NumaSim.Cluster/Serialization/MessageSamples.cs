using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using NumaSim.Actors.Messages;

namespace NumaSim.Cluster.Serialization;

/// <summary>
/// A sample of a message type with every field filled (strings, one element in every collection, one entry in
/// every dictionary, nested records alike), so that serializing it reaches every formatter a real message of that
/// type would use. Each type is built once per sample and shared where it recurs, so a sample costs one object per
/// type it reaches; a type met again inside itself is left null. Values are meaningless: samples only ever go to
/// <see cref="SerializerWarmup"/>.
/// </summary>
internal sealed class MessageSamples
{
    private readonly Dictionary<Type, object?> _built = [];
    private readonly HashSet<Type> _building = [];

    private MessageSamples()
    {
    }

    public static object? Of(Type type) => new MessageSamples().Sample(type);

    private object? Sample(Type type)
    {
        if (_built.TryGetValue(type, out var built))
        {
            return built;
        }
        if (!_building.Add(type))
        {
            return null;
        }
        built = Build(type);
        _building.Remove(type);
        _built[type] = built;
        return built;
    }

    private object? Build(Type type)
    {
        if (type == typeof(object) || typeof(Delegate).IsAssignableFrom(type) || type.IsPointer || type.IsByRef)
        {
            return null;
        }
        if (type == typeof(string))
        {
            return "x";
        }
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Sample(underlying);
        }
        if (type.IsPrimitive || type.IsEnum || type == typeof(decimal))
        {
            return Activator.CreateInstance(type);
        }
        if (type == typeof(ISimPayload))
        {
            // Any payload will do for a field typed by the interface: each payload type is warmed on its own as well.
            return SimMessageTypes.Payloads.Count > 0 ? Sample(SimMessageTypes.Payloads[0]) : null;
        }
        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            var array = Array.CreateInstance(element, 1);
            array.SetValue(Sample(element), 0);
            return array;
        }
        if (Collection(type) is { } collection)
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
                field.SetValue(sample, Sample(field.FieldType));
            }
        }
        return sample;
    }

    /// <summary>A list, set or dictionary of one sample element, as the declared type allows; null for any other type.</summary>
    private object? Collection(Type type)
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
            if (Sample(arguments[0]) is { } key)
            {
                dictionary[key] = Sample(arguments[1]);
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
            add.Invoke(collection, [Sample(arguments[0])]);
            return collection;
        }
        return null;
    }

    private static bool Implements(Type type, params Type[] generics) =>
        (type.IsGenericType && generics.Contains(type.GetGenericTypeDefinition()))
        || type.GetInterfaces().Any(i => i.IsGenericType && generics.Contains(i.GetGenericTypeDefinition()));
}
