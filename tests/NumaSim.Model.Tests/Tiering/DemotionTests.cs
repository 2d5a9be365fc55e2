using NumaSim.Model.Filemap;
using NumaSim.Model.Lru;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Reclaim;
using NumaSim.Model.Stats;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Tiering;

/// <summary>
/// Demotion in reclaim on a small tiered machine driven synchronously: node 0 is DRAM with CPU 0, node 1 a
/// memory-only node that HMAT puts in a slower tier; no swap.
/// </summary>
public sealed class DemotionTests
{
    private static readonly NodeAccess Dram = new(80, 80, 102400, 102400);
    private static readonly NodeAccess Cxl = new(200, 200, 40960, 40960);

    private static MachineTopology Tiered(long dramPages, long cxlPages) => new(
        "tiered",
        Architecture.X86_64,
        [
            new NodeSpec(0, [0], [new ZoneSpec(ZoneType.Normal, Machines.NormalBase, dramPages, dramPages, dramPages)]) { Access = Dram },
            new NodeSpec(1, [], [new ZoneSpec(ZoneType.Normal, 2 * Machines.NormalBase, cxlPages, cxlPages, cxlPages)]) { Access = Cxl },
        ],
        [[10, 20], [20, 10]],
        VmTunables.Default);

    private static readonly MemPolicy Bind0 = new(MemPolicyMode.Bind, [0]);

    // Pages a node's zone has handed out: managed less the buddy's free pages and those on the CPU's list.
    private static long InUse(PageCacheMachine cache, int node)
    {
        var zone = ZoneIndex.Of(node, ZoneType.Normal);
        return cache.Pages.Setup.Zone(zone).Spec.Managed - cache.Pages.Zone(zone).Buddy.FreePages - cache.Pages.Cpu(0).Pcp(zone).Count;
    }

    [Fact]
    public void A_demoted_page_is_allocated_on_the_slower_node_and_freed_on_its_own()
    {
        var cache = new PageCacheMachine(Tiered(16384, 32768), demotionEnabled: true);

        Assert.Equal(24576, cache.TouchAnon(0, 24576, Bind0));

        var demoted = cache.Lruvec(0).Demoted(Reclaimer.Kswapd) + cache.Lruvec(0).Demoted(Reclaimer.Direct);
        Assert.True(demoted >= 24576 - 16384, $"{demoted} demoted");
        Assert.Equal(demoted, cache.AnonPages(1));
        Assert.Equal(24576 - demoted, cache.AnonPages(0));
        Assert.Equal(cache.AnonPages(0), InUse(cache, 0));
        Assert.Equal(cache.AnonPages(1), InUse(cache, 1));
        Assert.Equal(demoted, cache.Event(VmEventItem.PgmigrateSuccess));
        Assert.Equal(demoted, cache.Event(VmEventItem.PgstealAnon));
        // The copies are on node 1's LRU; node 0's holds what stayed.
        Assert.Equal(cache.AnonPages(1), cache.Lruvec(1).Size(LruList.InactiveAnon) + cache.Lruvec(1).Size(LruList.ActiveAnon));
        Assert.Equal(cache.AnonPages(0), cache.Lruvec(0).Size(LruList.InactiveAnon) + cache.Lruvec(0).Size(LruList.ActiveAnon));
    }

    [Fact]
    public void Demotion_makes_anonymous_memory_reclaimable_without_swap_only_where_a_slower_tier_exists()
    {
        var on = new PageCacheMachine(Tiered(16384, 32768), demotionEnabled: true);
        var off = new PageCacheMachine(Tiered(16384, 32768), demotionEnabled: false);
        on.TouchAnon(0, 1000, Bind0);
        off.TouchAnon(0, 1000, Bind0);

        Assert.True(on.ReclaimNode(0).CanDemote);
        Assert.False(on.ReclaimNode(1).CanDemote);
        Assert.False(off.ReclaimNode(0).CanDemote);
        Assert.Equal(1000, on.ReclaimNode(0).ZoneReclaimable((int)ZoneType.Normal));
        Assert.Equal(0, off.ReclaimNode(0).ZoneReclaimable((int)ZoneType.Normal));
    }

    [Fact]
    public void A_full_preferred_target_sends_the_page_to_another_node_of_the_slower_tier()
    {
        // Nodes 1 and 2 share the slower tier; node 1 is nearer, so it is node 0's preferred target and node 2 only
        // allowed: alloc_demote_folio's second try (no __GFP_THISNODE, the allowed mask, node 1's zonelist).
        var topology = new MachineTopology(
            "tiered-3",
            Architecture.X86_64,
            [
                new NodeSpec(0, [0], [new ZoneSpec(ZoneType.Normal, Machines.NormalBase, 16384, 16384, 16384)]) { Access = Dram },
                new NodeSpec(1, [], [new ZoneSpec(ZoneType.Normal, 2 * Machines.NormalBase, 8192, 8192, 8192)]) { Access = Cxl },
                new NodeSpec(2, [], [new ZoneSpec(ZoneType.Normal, 3 * Machines.NormalBase, 32768, 32768, 32768)]) { Access = Cxl },
            ],
            [[10, 20, 30], [20, 10, 20], [30, 20, 10]],
            VmTunables.Default);
        var cache = new PageCacheMachine(topology, demotionEnabled: true);
        Assert.Equal([1], cache.Lruvec(0).Demotion!.Preferred);
        Assert.Equal([1, 2], cache.Lruvec(0).Demotion!.Allowed);
        var filled = cache.TouchAnon(0, 8192, new MemPolicy(MemPolicyMode.Bind, [1]));

        Assert.Equal(24576, cache.TouchAnon(0, filled, 24576, Bind0, write: true));

        var demoted = cache.Lruvec(0).Demoted(Reclaimer.Kswapd) + cache.Lruvec(0).Demoted(Reclaimer.Direct);
        Assert.Equal(filled, cache.AnonPages(1));
        Assert.Equal(demoted, cache.AnonPages(2));
        Assert.True(demoted >= 24576 - 16384, $"{demoted} demoted");
        Assert.Equal(0, cache.Event(VmEventItem.PgmigrateFail));
    }

    [Fact]
    public void When_the_slower_node_is_full_the_folio_stays_and_the_touch_runs_out()
    {
        // Node 1 is smaller than what node 0 must shed: once it is at its min watermark (demotion may not reclaim
        // directly) the migration fails, the folio stays on node 0, and node 0 runs out.
        var cache = new PageCacheMachine(Tiered(16384, 4096), demotionEnabled: true);

        var got = cache.TouchAnon(0, 32768, Bind0);

        Assert.True(got < 32768, $"{got} pages");
        Assert.True(cache.Event(VmEventItem.PgmigrateFail) > 0);
        var demoted = cache.Lruvec(0).Demoted(Reclaimer.Kswapd) + cache.Lruvec(0).Demoted(Reclaimer.Direct);
        Assert.Equal(demoted, cache.AnonPages(1));
        Assert.Equal(got, cache.AnonPages(0) + cache.AnonPages(1));
        Assert.InRange(InUse(cache, 1), 1, 4096);
    }
}
