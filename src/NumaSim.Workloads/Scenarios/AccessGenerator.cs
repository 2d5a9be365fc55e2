using NumaSim.Model.Sim;

namespace NumaSim.Workloads.Scenarios;

/// <summary>The page offsets one task touches, in order, drawn from its own random stream.</summary>
public sealed class AccessGenerator
{
    private readonly AccessPattern _pattern;
    private readonly long _pages;
    private readonly SimRandom _random;
    private readonly int[]? _chase;
    private readonly double _zipfBase;
    private long _cursor = -1;

    public AccessGenerator(AccessPattern pattern, long pages, SimRandom random)
    {
        _pattern = pattern;
        _pages = pages;
        _random = random;
        if (pattern.Kind == AccessPatternKind.PointerChase)
        {
            _chase = SattoloCycle(checked((int)pages), random);
            _cursor = 0;
        }
        if (pattern.Kind == AccessPatternKind.Strided)
        {
            // The first access lands on offset 0, as the sequential pattern's does.
            _cursor = -(long)pattern.Parameter;
        }
        if (pattern.Kind == AccessPatternKind.Zipf)
        {
            _zipfBase = Math.Pow(pages, 1 - pattern.Parameter) - 1;
        }
    }

    public long Next()
    {
        switch (_pattern.Kind)
        {
            case AccessPatternKind.Sequential:
                return _cursor = (_cursor + 1 + _pages) % _pages;
            case AccessPatternKind.Strided:
                return _cursor = (_cursor + (long)_pattern.Parameter + _pages) % _pages;
            case AccessPatternKind.Random:
                return (long)(_random.NextUInt64() % (ulong)_pages);
            case AccessPatternKind.Zipf:
                // Inverse CDF of a continuous power law over ranks 1..N; ranks are scattered over
                // the working set by a fixed odd multiplier, so the hot set is not one contiguous run.
                var s = _pattern.Parameter;
                var rank = (long)Math.Pow((_zipfBase * _random.NextDouble()) + 1, 1 / (1 - s)) - 1;
                return (long)((ulong)(Math.Clamp(rank, 0, _pages - 1) * 0x9E3779B1L) % (ulong)_pages);
            default:
                return _cursor = _chase![_cursor];
        }
    }

    /// <summary>A random single cycle through every page: each access depends on the previous one.</summary>
    private static int[] SattoloCycle(int n, SimRandom random)
    {
        var next = new int[n];
        for (var i = 0; i < n; i++)
        {
            next[i] = i;
        }
        for (var i = n - 1; i > 0; i--)
        {
            var j = random.Next(i);
            (next[i], next[j]) = (next[j], next[i]);
        }
        return next;
    }
}
