using NumaSim.Model.Lru;
using NumaSim.Model.Reclaim;
using NumaSim.Model.Stats;
using Xunit;

namespace NumaSim.Model.Tests.Lru;

/// <summary>Eviction from the multi-gen LRU, as mm/vmscan.c does it in 6.12.</summary>
public sealed class LruEvictionTests
{
    private const int Dma32 = 1;

    private sealed class CacheHost : IReclaimHost
    {
        public HashSet<long> Mapped { get; } = [];
        public List<long> Freed { get; } = [];
        public Dictionary<long, long> Shadows { get; } = [];

        public bool IsMapped(long pfn) => Mapped.Contains(pfn);

        public bool RemoveFromPageCache(long pfn, long shadow)
        {
            Shadows[pfn] = shadow;
            return true;
        }

        // No swap here: anonymous folios are never isolated.
        public long AddToSwap(long pfn) => -1;

        public bool TryToUnmap(long pfn, long slot) => false;

        public bool RemoveFromSwapCache(long pfn, long shadow) => false;

        public void Free(long pfn) => Freed.Add(pfn);
    }

    private static ScanControl Kswapd(long target = 1000) => new() { Reclaimer = Reclaimer.Kswapd, NrToReclaim = target, ReclaimIdx = 3, Priority = 6 };

    [Fact]
    public void A_batch_isolates_at_most_64_pages_from_the_oldest_generation_first_added_first()
    {
        var lru = new Lruvec(0);
        for (var pfn = 0L; pfn < 200; pfn++)
        {
            lru.Add(pfn, Dma32, LruType.File, 0, LruAdd.Cold);
        }
        lru.IncMaxSeq(canSwap: false);   // the read pages are now in the oldest generation
        var host = new CacheHost();
        var stat = new ReclaimStat(new VmEventCounters());

        lru.EvictFolios(Kswapd(), 0, host, stat);

        Assert.Equal(Enumerable.Range(0, 64).Select(i => (long)i), host.Freed);
        Assert.Equal(64, stat.PgscanKswapd);
        Assert.Equal(64, stat.PgstealKswapd);
        Assert.Equal(64, stat.Events[VmEventItem.PgstealFile]);
        Assert.Equal(136, lru.Size(LruList.InactiveFile));
    }

    [Fact]
    public void A_page_read_five_times_is_in_the_top_tier_and_is_kept_moving_to_the_next_generation()
    {
        var lru = new Lruvec(0);
        lru.Add(1, Dma32, LruType.File, 0, LruAdd.Cold);
        lru.Add(2, Dma32, LruType.File, 0, LruAdd.Cold);
        for (var i = 0; i < 5; i++)
        {
            lru.MarkAccessed(2);
        }
        lru.IncMaxSeq(canSwap: false);
        var host = new CacheHost();
        var stat = new ReclaimStat(new VmEventCounters());

        lru.EvictFolios(Kswapd(), 0, host, stat);

        Assert.Equal([1L], host.Freed);
        Assert.Equal(1, stat.Events[VmEventItem.Pgrefill]);
        Assert.True(lru.Contains(2));
    }

    [Fact]
    public void Anonymous_pages_are_never_scanned_without_swap()
    {
        var lru = new Lruvec(0);
        for (var pfn = 0L; pfn < 100; pfn++)
        {
            lru.Add(pfn, Dma32, LruType.Anon, 0, LruAdd.Fault);
        }
        var host = new CacheHost();
        var stat = new ReclaimStat(new VmEventCounters());
        var sc = Kswapd();

        for (var round = 0; round < 10; round++)
        {
            lru.TryToShrink(sc, 0, host, stat, _ => false);
        }

        Assert.Empty(host.Freed);
        Assert.Equal(0, stat.PgscanKswapd);
        Assert.Equal(100, lru.Size(LruList.ActiveAnon) + lru.Size(LruList.InactiveAnon));
    }

    [Fact]
    public void A_mapped_page_is_kept_and_goes_back_active()
    {
        var lru = new Lruvec(0);
        lru.Add(5, Dma32, LruType.File, 0, LruAdd.Cold);
        lru.IncMaxSeq(canSwap: false);
        var host = new CacheHost();
        host.Mapped.Add(5);
        var stat = new ReclaimStat(new VmEventCounters());

        lru.EvictFolios(Kswapd(), 0, host, stat);

        Assert.Empty(host.Freed);
        Assert.Equal(1, lru.Size(LruList.ActiveFile));
        Assert.Equal(1, stat.Events[VmEventItem.Pgactivate]);
    }

    [Fact]
    public void Shrinking_a_young_lruvec_ages_it_first_then_evicts_on_the_next_pass()
    {
        // Fresh lruvec: read pages in seq 1 of 0..3. At priority below DEF_PRIORITY with min_seq + 2 <= max_seq the
        // pass evicts; once the file type is down to MIN_NR_GENS generations, a pass ages instead.
        var lru = new Lruvec(0);
        for (var pfn = 0L; pfn < 300; pfn++)
        {
            lru.Add(pfn, Dma32, LruType.File, 0, LruAdd.Cold);
        }
        var host = new CacheHost();
        var stat = new ReclaimStat(new VmEventCounters());
        var sc = Kswapd(target: 100);

        var aged = false;
        for (var pass = 0; pass < 20 && sc.NrReclaimed < 100; pass++)
        {
            aged |= lru.TryToShrink(sc, 0, host, stat, s => s.NrReclaimed >= s.NrToReclaim);
        }

        Assert.True(sc.NrReclaimed >= 100, $"reclaimed {sc.NrReclaimed}");
        Assert.Equal(sc.NrReclaimed, host.Freed.Count);
        Assert.Equal(300 - host.Freed.Count, lru.Size(LruList.InactiveFile) + lru.Size(LruList.ActiveFile));
        Assert.True(lru.NrGens(LruType.File) >= Lruvec.MinNrGens);
    }
}
