using NumaSim.Model.Filemap;
using NumaSim.Model.Lru;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;
using Xunit.Abstractions;

namespace NumaSim.Model.Tests.Filemap;

/// <summary>
/// The page cache experiments run on Linux 6.12 under QEMU (`numasim validate` with read-file steps on the
/// fidelity machine, 2 nodes of 512 MiB), repeated on the same machine's snapshot. The kernel's figures are the
/// run less an empty run; the guest's own activity moves them by a few hundred pages.
/// </summary>
public sealed class KernelPageCacheTests(ITestOutputHelper output)
{
    private const long MiB = 256; // pages

    [Fact]
    public void Reading_768_MiB_caches_node_0_down_to_its_low_watermark_and_the_rest_on_node_1()
    {
        // Kernel: node 0 numa_hit 114,039, node 1 numa_miss 82,746, nothing reclaimed by the reads themselves.
        var cache = new PageCacheMachine(Machines.FidelityTwoNode(Machines.Read768Boot));
        var file = new FileMapping(1, "big", 768 * MiB);

        var (allocated, complete) = cache.ReadFile(0, file, 768 * MiB << 12, MemPolicy.Default);

        Assert.True(complete);
        Assert.Equal(768 * MiB, allocated);
        var hit0 = Numa(cache, 0).Hit;
        var miss1 = Numa(cache, 1).Miss;
        output.WriteLine($"node0 numa_hit {hit0} (kernel 114039), node1 numa_miss {miss1} (kernel 82746)");
        Assert.InRange(hit0, 114_039 * 98 / 100, 114_039 * 102 / 100);
        Assert.InRange(miss1, 82_746 * 98 / 100, 82_746 * 102 / 100);
        Assert.Equal(0, cache.ReclaimNode(0).Stat.PgstealKswapd + cache.ReclaimNode(1).Stat.PgstealKswapd);
        Assert.Equal(768 * MiB, cache.Lruvec(0).Size(LruList.InactiveFile) + cache.Lruvec(1).Size(LruList.InactiveFile));
    }

    [Fact]
    public void Reading_1200_MiB_makes_both_kswapds_reclaim_what_does_not_fit()
    {
        // Kernel: pgsteal_kswapd 89,710 (pgscan_kswapd 89,728), pageoutrun 58, allocstall 0; node 0 ends with
        // 102,383 file pages, node 1 with 113,506.
        var cache = new PageCacheMachine(Machines.FidelityTwoNode(Machines.Read1200Boot));
        var file = new FileMapping(1, "big", 1200 * MiB);

        var (allocated, complete) = cache.ReadFile(0, file, 1200 * MiB << 12, MemPolicy.Default);

        Assert.True(complete);
        Assert.Equal(1200 * MiB, allocated);
        var steal = cache.ReclaimNode(0).Stat.PgstealKswapd + cache.ReclaimNode(1).Stat.PgstealKswapd;
        var runs = cache.Kswapd(0).PageoutRun + cache.Kswapd(1).PageoutRun;
        var file0 = cache.Lruvec(0).Size(LruList.InactiveFile) + cache.Lruvec(0).Size(LruList.ActiveFile);
        var file1 = cache.Lruvec(1).Size(LruList.InactiveFile) + cache.Lruvec(1).Size(LruList.ActiveFile);
        output.WriteLine($"pgsteal_kswapd {steal} (kernel 89710), pageoutrun {runs} (kernel 58), file pages {file0} / {file1} (kernel 102383 / 113506)");
        Assert.InRange(steal, 89_710 * 97 / 100, 89_710 * 103 / 100);
        Assert.InRange(file0, 102_383 * 97 / 100, 102_383 * 103 / 100);
        Assert.InRange(file1, 113_506 * 97 / 100, 113_506 * 103 / 100);
        Assert.Equal(0, cache.Pages.Cpu(0).Events.AllocStalls());
    }

    [Fact]
    public void Anonymous_memory_after_320_MiB_of_cache_spills_to_node_1()
    {
        // Kernel: 256 MiB touched after reading 320 MiB on node 0: 22,464 anonymous pages on node 0, 43,104 on node 1.
        var cache = new PageCacheMachine(Machines.FidelityTwoNode(Machines.Read320AnonBoot));
        var file = new FileMapping(1, "big", 320 * MiB);
        cache.ReadFile(0, file, 320 * MiB << 12, MemPolicy.Default);

        cache.TouchAnon(0, 256 * MiB, MemPolicy.Default);

        var anon0 = cache.Lruvec(0).Size(LruList.ActiveAnon);
        var anon1 = cache.Lruvec(1).Size(LruList.ActiveAnon);
        output.WriteLine($"anon node0 {anon0} (kernel 22464), node1 {anon1} (kernel 43104)");
        Assert.InRange(anon1, 43_104 * 95 / 100, 43_104 * 105 / 100);
        Assert.Equal(320 * MiB, file.NrPages);
    }

    // numastat counts per node: the node's DMA and DMA32 zones together.
    private static Snapshots.NumaEvents Numa(PageCacheMachine cache, int node) =>
        cache.Pages.Cpu(0).Numa.ForZone(ZoneIndex.Of(node, ZoneType.Dma32)).Add(cache.Pages.Cpu(0).Numa.ForZone(ZoneIndex.Of(node, ZoneType.Dma)));
}
