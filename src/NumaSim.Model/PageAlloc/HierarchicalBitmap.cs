using System.Numerics;

namespace NumaSim.Model.PageAlloc;

/// <summary>
/// A bit set with summary levels (a bit per non-empty word of the level below), so that the
/// lowest set bit is found in a handful of steps however large the set. It stands in for the
/// kernel's free_list: 1 bit per possible block instead of a list_head of 16 bytes.
/// </summary>
public sealed class HierarchicalBitmap
{
    private readonly ulong[][] _levels;

    public HierarchicalBitmap(long bits)
    {
        Bits = bits;
        var levels = new List<ulong[]>();
        var words = Math.Max(1, (bits + 63) >> 6);
        while (true)
        {
            levels.Add(new ulong[words]);
            if (words == 1)
            {
                break;
            }
            words = (words + 63) >> 6;
        }
        _levels = [.. levels];
    }

    public long Bits { get; }

    public long Count { get; private set; }

    public bool IsSet(long index) => (_levels[0][index >> 6] & (1UL << (int)(index & 63))) != 0;

    public void Set(long index)
    {
        var bit = 1UL << (int)(index & 63);
        ref var word = ref _levels[0][index >> 6];
        if ((word & bit) != 0)
        {
            return;
        }
        Count++;
        var wasEmpty = word == 0;
        word |= bit;
        for (var level = 1; wasEmpty && level < _levels.Length; level++)
        {
            index >>= 6;
            ref var up = ref _levels[level][index >> 6];
            wasEmpty = up == 0;
            up |= 1UL << (int)(index & 63);
        }
    }

    public void Clear(long index)
    {
        var bit = 1UL << (int)(index & 63);
        ref var word = ref _levels[0][index >> 6];
        if ((word & bit) == 0)
        {
            return;
        }
        Count--;
        word &= ~bit;
        var nowEmpty = word == 0;
        for (var level = 1; nowEmpty && level < _levels.Length; level++)
        {
            index >>= 6;
            ref var up = ref _levels[level][index >> 6];
            up &= ~(1UL << (int)(index & 63));
            nowEmpty = up == 0;
        }
    }

    /// <summary>The lowest set bit, or -1 when empty.</summary>
    public long FindFirst()
    {
        if (Count == 0)
        {
            return -1;
        }
        long index = 0;
        for (var level = _levels.Length - 1; level >= 0; level--)
        {
            var word = _levels[level][index];
            index = (index << 6) + BitOperations.TrailingZeroCount(word);
        }
        return index;
    }

    public long HostBytes => _levels.Sum(l => (long)l.Length * sizeof(ulong));
}
