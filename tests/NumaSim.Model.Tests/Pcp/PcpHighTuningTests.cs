using NumaSim.Model.PageAlloc;
using Xunit;

namespace NumaSim.Model.Tests.Pcp;

/// <summary>
/// The per-CPU lists' self-tuning since Linux 6.7 (nr_pcp_alloc, nr_pcp_high): refills double while a CPU only
/// allocates, high grows by each refill up to high_max, a free halves the refill factor, and a zone below its high
/// watermark stops the growth and lets frees pull high back down.
/// </summary>
public sealed class PcpHighTuningTests
{
    private const int ThpOrder = 9;

    private static PerCpuPages Pcp() => new(31, 3874, 7796, ThpOrder);

    /// <summary>Allocates everything on the list, then refills: what a CPU that only allocates does.</summary>
    private static int Refill(PerCpuPages pcp, bool belowHigh = false)
    {
        while (pcp.TryTake(0, MigrateType.Movable, out _))
        {
        }
        var count = pcp.RefillCount(0, belowHigh);
        pcp.AddRefill(0, MigrateType.Movable, [.. Enumerable.Range(0, count).Select(i => (long)i)]);
        return count;
    }

    [Fact]
    public void Refills_double_up_to_batch_shifted_by_the_scale_max_and_high_grows_to_high_max()
    {
        var pcp = Pcp();
        // 31, 62, 124, 248, 496, then 992 (31 << 5) each time; high grows by each refill's batch.
        Assert.Equal([31, 62, 124, 248, 496, 992, 992], Enumerable.Range(0, 7).Select(_ => Refill(pcp)));
        Assert.Equal(3874 + 31 + 62 + 124 + 248 + 496 + 992 + 992, pcp.High);
        Refill(pcp);
        Assert.Equal(7796, pcp.High);
    }

    [Fact]
    public void A_free_halves_the_refill_factor()
    {
        var pcp = Pcp();
        for (var i = 0; i < 5; i++)
        {
            Refill(pcp);
        }
        pcp.Free(1_000_000, 0, MigrateType.Movable, []);
        pcp.TryTake(0, MigrateType.Movable, out _);
        // alloc_factor 5 -> 2: the next refill is 31 << 2.
        Assert.Equal(124, Refill(pcp));
    }

    [Fact]
    public void Below_the_high_watermark_high_stops_growing_and_frees_pull_it_back_to_high_min()
    {
        var pcp = Pcp();
        for (var i = 0; i < 4; i++)
        {
            Refill(pcp, belowHigh: true);
        }
        Assert.Equal(3874, pcp.High);

        var grown = Pcp();
        for (var i = 0; i < 8; i++)
        {
            Refill(grown);
        }
        Assert.Equal(7796, grown.High);
        var drained = new List<(long Pfn, int Order)>();
        for (var i = 0; i < 3000; i++)
        {
            grown.Free(2_000_000 + i, 0, MigrateType.Movable, drained, zoneBelowHigh: true);
        }
        Assert.Equal(3874, grown.High);
        Assert.NotEmpty(drained);
    }
}
