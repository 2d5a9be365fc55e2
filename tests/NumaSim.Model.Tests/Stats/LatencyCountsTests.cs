using Xunit;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;

namespace NumaSim.Model.Tests.Stats;

public sealed class LatencyCountsTests
{
    [Fact]
    public void Every_value_keeps_its_own_count_through_growth_and_negative_and_colliding_values()
    {
        var counts = new LatencyCounts();
        var expected = new Dictionary<long, long>();
        var random = new Random(3);
        for (var i = 0; i < 20_000; i++)
        {
            // Multiples of a large power of two collide in the low bits; a few negative deltas occur in merges.
            var ns = random.Next(4) switch { 0 => random.Next(-5, 300), 1 => (long)random.Next(64) << 32, _ => random.Next(5_000) };
            var n = random.Next(1, 4);
            counts.Add(ns, n);
            expected[ns] = expected.GetValueOrDefault(ns) + n;
        }

        var seen = new Dictionary<long, long>();
        foreach (var (ns, count) in counts)
        {
            seen.Add(ns, count);
        }
        Assert.Equal(expected.Count, counts.Count);
        Assert.Equal(expected.OrderBy(e => e.Key), seen.OrderBy(e => e.Key));
    }

    [Fact]
    public void A_recorder_gives_each_kind_sorted_and_merges_by_value()
    {
        var a = new LatencyRecorder();
        var b = new LatencyRecorder();
        a.Record("fault", 900);
        a.Record("fault", 100, 2);
        b.Record("fault", 100);
        b.Record("walk", 40);

        a.Merge(b);

        var distributions = a.Distributions();
        Assert.Equal([(100L, 3L), (900L, 1L)], distributions["fault"]);
        Assert.Equal([(40L, 1L)], distributions["walk"]);
        Assert.Equal(new LatencyStats(4, 100, 900, 900), a.Stats()["fault"]);
    }
}
