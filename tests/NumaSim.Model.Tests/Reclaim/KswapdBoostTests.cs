using NumaSim.Model.Lru;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Reclaim;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Reclaim;

/// <summary>
/// kswapd and the watermark boost (mm/vmscan.c, 6.12): wakeup_kswapd wakes a balanced node that is boosted;
/// balance_pgdat reclaims for the boost only while the node is balanced, without writeback or swap, which the
/// multi-gen LRU answers by reclaiming nothing, so the run stops after one round; an unbalanced node ignores the
/// boost and reclaims to high + boost. Either way the boost seen at the start comes off at the end.
/// </summary>
public sealed class KswapdBoostTests
{
    private const int Normal = (int)ZoneType.Normal;
    private const long FirstPfn = 1 << 20;

    // One Normal zone: min 1000, low 1250, high 1500; its free pages and boost are the test's.
    private sealed class Node : IReclaimHost
    {
        public Node(long free, long boost, int filePages)
        {
            Free = free;
            Boost = boost;
            var zone = new ZoneSetup(Normal, 0, new ZoneSpec(ZoneType.Normal, FirstPfn, 65536, 65536, 65536),
                new ZoneWatermarks(1000, 1250, 1500, 1750), [0, 0, 0, 0], 31, 124, 1000, 24);
            Lruvec = new Lruvec(0);
            for (var i = 0; i < filePages; i++)
            {
                Lruvec.Add(FirstPfn + i, Normal, LruType.File, 0, LruAdd.Cold);
            }
            Reclaim = new ReclaimNode(0, Lruvec, [zone], _ => new ZoneFreeView(Free, 1, 0, 0, WatermarkBoost: Boost), this)
            {
                ClearWatermarkBoost = (index, seen) =>
                {
                    Cleared.Add((index, seen));
                    Boost -= Math.Min(Boost, seen);
                },
            };
            Kswapd = new Kswapd(Reclaim);
        }

        public long Free { get; private set; }
        public long Boost { get; set; }
        public Lruvec Lruvec { get; }
        public ReclaimNode Reclaim { get; }
        public Kswapd Kswapd { get; }
        public List<(int Zone, long Boost)> Cleared { get; } = [];

        public long Event(VmEventItem item) => Reclaim.Stat.Events[item];

        public bool IsMapped(long pfn) => false;
        public bool RemoveFromPageCache(long pfn, long shadow) => true;
        public long AddToSwap(long pfn) => -1;
        public bool TryToUnmap(long pfn, long slot) => false;
        public bool RemoveFromSwapCache(long pfn, long shadow) => false;
        void IReclaimHost.Free(long pfn) => Free++;
    }

    [Fact]
    public void A_balanced_node_is_woken_only_when_boosted()
    {
        Assert.False(new Node(free: 3000, boost: 0, filePages: 0).Kswapd.Wake(0, Normal));
        Assert.True(new Node(free: 3000, boost: 512, filePages: 0).Kswapd.Wake(0, Normal));
    }

    [Fact]
    public void Boosted_reclaim_of_a_balanced_node_stops_after_a_round_that_reclaims_nothing_and_takes_the_boost_back()
    {
        // 3000 free is above high + boost (2012): balanced, so the run reclaims for the boost (512 pages) without
        // writeback; lru_gen_shrink_node does nothing then, and the round's zero progress ends the run.
        var node = new Node(free: 3000, boost: 512, filePages: 4096);
        Assert.True(node.Kswapd.Wake(0, Normal));

        node.Kswapd.Balance();

        Assert.Equal(1, node.Event(VmEventItem.Pageoutrun));
        Assert.Equal(0, node.Event(VmEventItem.PgscanKswapd));
        Assert.Equal(3000, node.Free);
        Assert.Equal([(Normal, 512L)], node.Cleared);
        Assert.Equal(0, node.Boost);
        // No page for the whole run counts as a failed run.
        Assert.Equal(1, node.Reclaim.KswapdFailures);
        Assert.Equal(KswapdNext.Nap, node.Kswapd.AfterBalance(Normal));
    }

    [Fact]
    public void An_unbalanced_boosted_node_reclaims_to_its_boosted_high_watermark_then_drops_the_boost()
    {
        // 1800 free: above high (1500) but not above high + boost (2012). The boost is ignored for the loop and kswapd
        // reclaims as usual, in batches of 64, until the zone is above high + boost + 64 (2076): 277 pages short.
        var node = new Node(free: 1800, boost: 512, filePages: 4096);
        Assert.True(node.Kswapd.Wake(0, Normal));

        node.Kswapd.Balance();

        var freed = node.Free - 1800;
        Assert.InRange(freed, 277, 277 + 63);
        Assert.Equal(0, freed % 64);
        Assert.Equal(freed, node.Event(VmEventItem.PgstealKswapd));
        Assert.Equal([(Normal, 512L)], node.Cleared);
        Assert.Equal(0, node.Reclaim.KswapdFailures);
        Assert.True(node.Reclaim.Balanced(0, Normal));
        Assert.False(node.Reclaim.WatermarkBoosted(Normal));
    }

    [Fact]
    public void Sixteen_boosted_runs_make_the_node_hopeless_and_the_next_boost_stays()
    {
        // As measured under 6.12 (docs/validation.md, "Watermark boost"): each fallback's wake runs kswapd, which
        // reclaims nothing for a boost; after MAX_RECLAIM_RETRIES such runs the node is hopeless (zoneinfo's
        // node_unreclaimable 1), kswapd is no longer woken and the boost is never taken back.
        var node = new Node(free: 30000, boost: 0, filePages: 4096);
        for (var run = 0; run < Kswapd.MaxReclaimRetries; run++)
        {
            node.Boost = 512;
            Assert.True(node.Kswapd.Wake(0, Normal));
            node.Kswapd.Balance();
            Assert.Equal(KswapdNext.Nap, node.Kswapd.AfterBalance(Normal));
            Assert.True(node.Kswapd.AfterNap(Normal, woken: false));
        }
        node.Boost = 512;

        Assert.False(node.Kswapd.Wake(0, Normal));
        Assert.Equal(16, node.Event(VmEventItem.Pageoutrun));
        Assert.Equal(0, node.Event(VmEventItem.PgscanKswapd));
        Assert.Equal(512, node.Boost);
    }

    [Fact]
    public void Without_a_boost_a_balanced_node_is_left_alone_and_nothing_is_cleared()
    {
        var node = new Node(free: 3000, boost: 0, filePages: 4096);

        node.Kswapd.BalancePgdat(0, Normal);

        Assert.Equal(1, node.Event(VmEventItem.Pageoutrun));
        Assert.Equal(0, node.Event(VmEventItem.PgscanKswapd));
        Assert.Empty(node.Cleared);
        Assert.Equal(0, node.Reclaim.KswapdFailures);
    }
}
