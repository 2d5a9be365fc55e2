using System.Runtime.CompilerServices;

namespace NumaSim.Formats.Trace;

/// <summary>
/// One string instance per distinct text (task names, call sites, gfp texts, cache names repeat
/// millions of times in a large trace); stops adding past its capacity.
/// </summary>
internal sealed class StringPool
{
    private readonly int _capacity;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StringPool(int capacity = 1 << 16)
    {
        _capacity = capacity;
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Get(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return "";
        }
        if (_lookup.TryGetValue(text, out var pooled))
        {
            return pooled;
        }
        var s = text.ToString();
        if (_strings.Count < _capacity)
        {
            _strings.Add(s, s);
        }
        return s;
    }
}
