using NumaSim.Model.Lru;
using Xunit;

namespace NumaSim.Model.Tests.Lru;

/// <summary>The multi-gen LRU's bookkeeping, checked against what the 6.12 kernel showed under QEMU.</summary>
public sealed class LruvecTests
{
    private const int Dma32 = 1;

    [Fact]
    public void Read_pages_start_in_the_second_oldest_generation_and_count_as_inactive_file()
    {
        // Kernel: reading 200 MiB raised nr_inactive_file by 51,200 and nr_active_file by 0.
        var lru = new Lruvec(0);
        for (var pfn = 0L; pfn < 100; pfn++)
        {
            lru.Add(pfn, Dma32, LruType.File, 0, LruAdd.Cold);
        }

        Assert.Equal(100, lru.Size(LruList.InactiveFile));
        Assert.Equal(0, lru.Size(LruList.ActiveFile));
        Assert.Equal(100, lru.NrPages(lru.MinSeq(LruType.File) + 1, LruType.File, Dma32));
    }

    [Fact]
    public void A_second_read_only_counts_a_reference_and_moves_nothing()
    {
        // Kernel: reading the same 200 MiB twice left every page Inactive(file), pgactivate 0.
        var lru = new Lruvec(0);
        lru.Add(7, Dma32, LruType.File, 0, LruAdd.Cold);

        lru.MarkAccessed(7);
        Assert.Equal(0, lru.Tier(7));
        lru.MarkAccessed(7);
        lru.MarkAccessed(7);

        Assert.Equal(1, lru.Size(LruList.InactiveFile));
        Assert.Equal(0, lru.Size(LruList.ActiveFile));
        Assert.Equal(2, lru.Tier(7));
    }

    [Fact]
    public void Faulted_anonymous_pages_are_active_and_a_huge_page_counts_its_512_pages()
    {
        // Kernel: touching 256 MiB raised nr_active_anon by 65,555 (the task's 65,536 and a few of its own).
        var lru = new Lruvec(0);
        lru.Add(0, Dma32, LruType.Anon, 0, LruAdd.Fault);
        lru.Add(512, Dma32, LruType.Anon, 9, LruAdd.Fault);

        Assert.Equal(513, lru.Size(LruList.ActiveAnon));
        Assert.Equal(0, lru.Size(LruList.InactiveAnon));

        lru.Remove(512);
        Assert.Equal(1, lru.Size(LruList.ActiveAnon));
        Assert.False(lru.Contains(512));
    }

    [Fact]
    public void Aging_makes_the_second_youngest_generation_inactive()
    {
        var lru = new Lruvec(0);
        lru.Add(1, Dma32, LruType.Anon, 0, LruAdd.Fault);      // max_seq
        lru.Add(2, Dma32, LruType.Anon, 0, LruAdd.Cold);       // max_seq - 1

        lru.IncMaxSeq(canSwap: false);
        Assert.Equal(1, lru.Size(LruList.ActiveAnon));
        Assert.Equal(1, lru.Size(LruList.InactiveAnon));

        lru.IncMaxSeq(canSwap: false);
        Assert.Equal(0, lru.Size(LruList.ActiveAnon));
        Assert.Equal(2, lru.Size(LruList.InactiveAnon));
    }

    [Fact]
    public void A_type_never_holds_more_than_max_nr_gens_and_emptied_old_generations_retire()
    {
        var lru = new Lruvec(0);
        lru.Add(1, Dma32, LruType.File, 0, LruAdd.Cold);
        for (var i = 0; i < 6; i++)
        {
            lru.IncMaxSeq(canSwap: false);
            Assert.True(lru.NrGens(LruType.File) <= Lruvec.MaxNrGens);
        }
        // The folio was folded forward with its generation each time the oldest had to go.
        Assert.Equal(1, lru.Size(LruList.InactiveFile));
        Assert.Equal(lru.MinSeq(LruType.File), lru.MaxSeq - Lruvec.MaxNrGens + 1);

        lru.Remove(1);
        Assert.True(lru.TryIncMinSeq(canSwap: false));
        Assert.Equal(Lruvec.MinNrGens, lru.NrGens(LruType.File));
    }
}
