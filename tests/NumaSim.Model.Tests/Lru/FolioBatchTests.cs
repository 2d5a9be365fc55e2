using Xunit;
using NumaSim.Model.Lru;

namespace NumaSim.Model.Tests.Lru;

public sealed class FolioBatchTests
{
    [Fact]
    public void A_batch_drains_its_folios_in_the_order_they_were_mapped_less_those_freed_meanwhile()
    {
        var batch = new FolioBatch();
        for (var i = 0; i < 1_000; i++)
        {
            batch.Add(i % 3, 10_000 + i, i % 2, 500 + i);
        }

        Assert.True(batch.Remove(10_007));
        Assert.False(batch.Remove(10_007));
        Assert.False(batch.Remove(42));
        batch.Add(9, 10_007, 0, 77);
        var (tasks, pfns, orders, vpns) = batch.Drain();

        var kept = Enumerable.Range(0, 1_000).Where(i => i != 7).ToList();
        Assert.Equal([.. kept.Select(i => 10_000L + i), 10_007L], pfns);
        Assert.Equal([.. kept.Select(i => i % 3), 9], tasks);
        Assert.Equal([.. kept.Select(i => i % 2), 0], orders);
        Assert.Equal([.. kept.Select(i => 500L + i), 77L], vpns);
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void A_drained_batch_forgets_its_folios()
    {
        var batch = new FolioBatch();
        batch.Add(1, 5, 0, 6);
        batch.Drain();

        Assert.False(batch.Remove(5));
        batch.Add(2, 5, 0, 8);
        Assert.True(batch.Remove(5));
        Assert.Empty(batch.Drain().Pfns);
    }
}
