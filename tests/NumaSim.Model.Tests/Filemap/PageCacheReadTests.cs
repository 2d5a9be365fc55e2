using NumaSim.Model.Filemap;
using NumaSim.Model.Lru;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Filemap;

/// <summary>
/// Reading files on a two-node machine: what the 6.12 kernel did under QEMU (2 nodes of 512 MiB), at the scale of
/// the test machine (2 nodes of 8,192 pages).
/// </summary>
public sealed class PageCacheReadTests
{
    private const int Pages = 8192;

    private static (PageCacheMachine Cache, int Zone0, int Zone1) Machine()
    {
        var machine = new PageCacheMachine(Machines.TwoNodeNormal(Pages));
        return (machine, ZoneIndex.Of(0, ZoneType.Normal), ZoneIndex.Of(1, ZoneType.Normal));
    }

    [Fact]
    public void A_file_larger_than_the_local_node_fills_it_to_the_low_watermark_and_spills_to_the_other()
    {
        // Kernel, 768 MiB on nodes of 512 MiB: node 0 cached 114,039 pages, node 1 82,746 (numa_miss), no failure.
        var (cache, zone0, zone1) = Machine();
        var file = new FileMapping(1, "big", 12_000);

        var (allocated, complete) = cache.ReadFile(0, file, 12_000L << 12, MemPolicy.Default);

        Assert.True(complete);
        Assert.Equal(12_000, allocated);
        Assert.Equal(12_000, file.NrPages);
        var low = cache.Pages.Setup.Zone(zone0).Watermarks.Get(WatermarkKind.Low);
        var free0 = cache.Pages.Zone(zone0).View.FreePages;
        // The fast path stops taking node 0 once it is at its low watermark (a per-CPU list's worth of slack).
        Assert.InRange(free0, low - 64, low + 256);
        var numa1 = cache.Pages.Cpu(0).Numa.ForZone(zone1);
        var onNode1 = cache.Lruvec(1).Size(LruList.InactiveFile);
        Assert.Equal(12_000, cache.Lruvec(0).Size(LruList.InactiveFile) + onNode1);
        Assert.True(onNode1 > 3000, $"{onNode1} pages on node 1");
        Assert.Equal(numa1.Miss, onNode1);
        Assert.Equal(0, cache.Lruvec(0).Size(LruList.ActiveFile) + cache.Lruvec(1).Size(LruList.ActiveFile));
    }

    [Fact]
    public void Reading_a_cached_file_again_allocates_nothing_and_leaves_its_pages_inactive()
    {
        // Kernel: 200 MiB read twice: 51,209 file pages, all Inactive(file), pgactivate 0.
        var (cache, _, _) = Machine();
        var file = new FileMapping(1, "small", 2000);
        cache.ReadFile(0, file, 2000L << 12, MemPolicy.Default);
        var free = cache.Pages.Zones.Sum(z => z.View.FreePages);

        var (allocated, complete) = cache.ReadFile(0, file, 2000L << 12, MemPolicy.Default);

        Assert.True(complete);
        Assert.Equal(0, allocated);
        Assert.Equal(free, cache.Pages.Zones.Sum(z => z.View.FreePages));
        Assert.Equal(2000, cache.Lruvec(0).Size(LruList.InactiveFile));
        Assert.True(file.TryGet(0, out var first));
        Assert.True(cache.Lruvec(0).Tier(first) >= 1, "the first page of a batch read twice is referenced");
    }

    [Fact]
    public void A_task_bound_to_the_other_node_caches_its_file_there()
    {
        var (cache, _, zone1) = Machine();
        var file = new FileMapping(1, "f", 1000);

        cache.ReadFile(0, file, 1000L << 12, new MemPolicy(MemPolicyMode.Bind, [1]));

        Assert.Equal(1000, cache.Lruvec(1).Size(LruList.InactiveFile));
        Assert.Equal(1000, cache.Pages.Cpu(0).Numa.ForZone(zone1).Hit);
    }

    [Fact]
    public void A_read_past_the_end_of_the_file_stops_at_it()
    {
        var (cache, _, _) = Machine();
        var file = new FileMapping(1, "f", 10);

        var (allocated, complete) = cache.ReadFile(0, file, 1 << 20, MemPolicy.Default);

        Assert.True(complete);
        Assert.Equal(10, allocated);
    }
}

/// <summary>The page cache under pressure: kswapd, direct reclaim and what they leave alone.</summary>
public sealed class PageCachePressureTests
{
    private const int Pages = 8192;

    [Fact]
    public void Reading_more_than_the_machine_holds_makes_kswapd_reclaim_the_oldest_cache_without_direct_reclaim()
    {
        // Kernel, 1200 MiB on 2 x 512 MiB: pgsteal_kswapd 89,710 = pgscan_kswapd - 18, allocstall 0, every read done.
        var cache = new PageCacheMachine(Machines.TwoNodeNormal(Pages));
        var file = new FileMapping(1, "big", 24_000);

        var (allocated, complete) = cache.ReadFile(0, file, 24_000L << 12, MemPolicy.Default);

        Assert.True(complete);
        Assert.Equal(24_000, allocated);
        var stat0 = cache.ReclaimNode(0).Stat;
        var stat1 = cache.ReclaimNode(1).Stat;
        var stolen = stat0.PgstealKswapd + stat1.PgstealKswapd;
        // What did not fit was reclaimed, plus the climb back to the high watermarks.
        Assert.InRange(stolen, 24_000 - 2 * Pages, 24_000 - 2 * Pages + 2_000);
        Assert.Equal(stolen, file.NrShadows);
        Assert.Equal(24_000 - stolen, file.NrPages);
        Assert.Equal(0, stat0.PgstealDirect + stat1.PgstealDirect);
        Assert.Equal(stat0.PgscanKswapd, stat0.PgstealKswapd);
        Assert.True(cache.Kswapd(0).PageoutRun > 0 && cache.Kswapd(1).PageoutRun > 0);
        Assert.Equal(0, cache.Pages.Cpu(0).Events.AllocStalls());
    }

    [Fact]
    public void Anonymous_memory_after_a_cached_file_spills_to_the_other_node_rather_than_reclaiming_the_cache()
    {
        // Kernel: 320 MiB read then 256 MiB touched on node 0: 43,104 of the 65,536 anonymous pages on node 1,
        // node 0's cache untouched (no pgsteal).
        var cache = new PageCacheMachine(Machines.TwoNodeNormal(Pages));
        var file = new FileMapping(1, "big", 5_000);
        cache.ReadFile(0, file, 5_000L << 12, MemPolicy.Default);

        var got = cache.TouchAnon(0, 4_096, MemPolicy.Default);

        Assert.Equal(4_096, got);
        Assert.Equal(5_000, file.NrPages);
        Assert.Equal(0, cache.ReclaimNode(0).Stat.PgstealKswapd + cache.ReclaimNode(0).Stat.PgstealDirect);
        var anon0 = cache.Lruvec(0).Size(LruList.ActiveAnon);
        var anon1 = cache.Lruvec(1).Size(LruList.ActiveAnon);
        Assert.Equal(4_096, anon0 + anon1);
        Assert.True(anon1 > 1_000, $"{anon1} anonymous pages on node 1");
    }

    [Fact]
    public void A_task_bound_to_a_node_full_of_cache_reclaims_it_directly()
    {
        // Bound to node 0, whose cache fills it: the fast path and kswapd's wake find node 0 below low; the
        // allocation reclaims node 0's cache (kswapd first, then direct reclaim when kswapd cannot keep up).
        var cache = new PageCacheMachine(Machines.TwoNodeNormal(Pages));
        var file = new FileMapping(1, "big", 7_000);
        var bind0 = new MemPolicy(MemPolicyMode.Bind, [0]);
        cache.ReadFile(0, file, 7_000L << 12, bind0);

        var got = cache.TouchAnon(0, 6_000, bind0);

        Assert.Equal(6_000, got);
        Assert.True(file.NrPages < 7_000 - 4_000, $"{file.NrPages} pages still cached");
        var stat = cache.ReclaimNode(0).Stat;
        Assert.True(stat.PgstealKswapd + stat.PgstealDirect >= 4_000);
        Assert.Equal(0, cache.Lruvec(1).Size(LruList.ActiveAnon));
    }

    [Fact]
    public void A_bound_task_that_needs_more_than_its_node_and_finds_nothing_to_reclaim_fails()
    {
        var cache = new PageCacheMachine(Machines.TwoNodeNormal(Pages));

        var got = cache.TouchAnon(0, Pages, new MemPolicy(MemPolicyMode.Bind, [0]));

        Assert.InRange(got, Pages - 1_000, Pages - 1);
        Assert.True(cache.Pages.Cpu(0).Events.AllocStalls() > 0);
    }

    [Fact]
    public void Reading_an_evicted_file_again_counts_refaults_on_the_node_that_evicted_it()
    {
        var cache = new PageCacheMachine(Machines.TwoNodeNormal(Pages));
        var file = new FileMapping(1, "big", 24_000);
        cache.ReadFile(0, file, 24_000L << 12, MemPolicy.Default);
        var evicted = file.NrShadows;

        cache.ReadFile(0, file, 4_000L << 12, MemPolicy.Default);

        var refaults = cache.Lruvec(0).Workingset(NodeStatItem.WorkingsetRefaultFile) + cache.Lruvec(1).Workingset(NodeStatItem.WorkingsetRefaultFile);
        Assert.True(evicted > 4_000);
        // The first 4,000 pages were the first evicted: every one comes back as a refault, some on another node.
        Assert.InRange(refaults, 2_000, 4_000);
        Assert.Equal(0, cache.Lruvec(0).Workingset(NodeStatItem.WorkingsetRefaultAnon));
    }

    [Fact]
    public void Zone_reclaim_mode_1_reclaims_nothing_under_the_multi_gen_lru_and_the_anonymous_pages_still_spill()
    {
        // Kernel: with zone_reclaim_mode = 1 the cache on node 0 stays and the anonymous pages go to node 1.
        var cache = new PageCacheMachine(Machines.TwoNodeNormal(Pages), zoneReclaimMode: 1);
        var file = new FileMapping(1, "big", 5_000);
        cache.ReadFile(0, file, 5_000L << 12, MemPolicy.Default);

        cache.TouchAnon(0, 4_096, MemPolicy.Default);

        Assert.Equal(5_000, file.NrPages);
        Assert.True(cache.Lruvec(1).Size(LruList.ActiveAnon) > 1_000);
        Assert.True(cache.ReclaimNode(0).Stat.ZoneReclaimFailed > 0);
        Assert.Equal(0, cache.ReclaimNode(0).Stat.ZoneReclaimSuccess);
    }

    [Fact]
    public void Zone_reclaim_mode_7_frees_local_cache_so_the_anonymous_pages_stay_local()
    {
        var cache = new PageCacheMachine(Machines.TwoNodeNormal(Pages), zoneReclaimMode: 7);
        var file = new FileMapping(1, "big", 5_000);
        cache.ReadFile(0, file, 5_000L << 12, MemPolicy.Default);

        cache.TouchAnon(0, 4_096, MemPolicy.Default);

        Assert.True(file.NrPages < 5_000 - 1_000, $"{file.NrPages} pages still cached");
        Assert.True(cache.Lruvec(1).Size(LruList.ActiveAnon) < 100, $"{cache.Lruvec(1).Size(LruList.ActiveAnon)} anonymous pages on node 1");
        Assert.True(cache.ReclaimNode(0).Stat.ZoneReclaimSuccess > 0);
    }
}
