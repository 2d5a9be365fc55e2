using NumaSim.Formats.Proc;
using NumaSim.Model.Stats;

namespace NumaSim.Formats.Tests.Support;

/// <summary>Counter families from (name, value) pairs as /proc prints them, through the one name table.</summary>
internal static class CountersByName
{
    public static Counters<NodeStatItem> Node(IEnumerable<KeyValuePair<string, long>> values) =>
        Of<NodeStatItem>(values, VmstatItemNames.Name);

    public static Counters<VmEventItem> Events(IEnumerable<KeyValuePair<string, long>> values) =>
        Of<VmEventItem>(values, VmstatItemNames.Name);

    public static TItem Item<TItem>(string name, Func<TItem, string> names)
        where TItem : struct, Enum =>
        Enum.GetValues<TItem>().Single(i => names(i) == name);

    private static Counters<TItem> Of<TItem>(IEnumerable<KeyValuePair<string, long>> values, Func<TItem, string> names)
        where TItem : struct, Enum =>
        Counters<TItem>.Of(values.Select(kv => KeyValuePair.Create(Item(kv.Key, names), kv.Value)));
}
