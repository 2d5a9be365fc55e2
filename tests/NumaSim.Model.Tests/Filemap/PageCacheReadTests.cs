using NumaSim.Model.Filemap;
using NumaSim.Model.Lru;
using NumaSim.Model.PageAlloc;
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
        var machine = new PageCacheMachine(new PageAllocatorMachine(Machines.TwoNodeNormal(Pages)));
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
