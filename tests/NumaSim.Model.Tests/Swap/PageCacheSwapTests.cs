using NumaSim.Model.Filemap;
using NumaSim.Model.Lru;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Stats;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;
using Xunit.Abstractions;

namespace NumaSim.Model.Tests.Swap;

/// <summary>
/// Anonymous memory under pressure with a swap area, on the synchronous driver: a task bound to node 0 (8,192
/// pages) touching more than the node holds.
/// </summary>
public sealed class PageCacheSwapTests(ITestOutputHelper output)
{
    private const long Pages = 8192;
    private static readonly MemPolicy BindNode0 = new(MemPolicyMode.Bind, [0]);

    private static PageCacheMachine Machine(long swapBytes, int swappiness = 60)
    {
        var t = Machines.TwoNodeNormal(Pages);
        return new PageCacheMachine(new MachineTopology(t.Name, t.Arch, t.Nodes, t.Distance, t.Vm) { SwapBytes = swapBytes }, swappiness: swappiness);
    }

    private void Print(PageCacheMachine cache, string when)
    {
        var lru = cache.Lruvec(0);
        output.WriteLine($"{when}: pswpout {cache.Event(VmEventItem.Pswpout)} pswpin {cache.Event(VmEventItem.Pswpin)} " +
            $"pgmajfault {cache.Event(VmEventItem.Pgmajfault)} pgscan_anon {cache.Event(VmEventItem.PgscanAnon)} " +
            $"pgsteal_anon {cache.Event(VmEventItem.PgstealAnon)} pgscan_file {cache.Event(VmEventItem.PgscanFile)} " +
            $"pgsteal_file {cache.Event(VmEventItem.PgstealFile)} pgrotated {cache.Event(VmEventItem.Pgrotated)} " +
            $"swap inuse {cache.Swap.InusePages} cached {cache.Swap.CachedPages} swapped-out {cache.SwappedOut} " +
            $"anon active {lru.Size(LruList.ActiveAnon)} inactive {lru.Size(LruList.InactiveAnon)} AnonPages {cache.AnonPages(0)} " +
            $"workingset_refault_anon {lru.Workingset(NodeStatItem.WorkingsetRefaultAnon)} activate {lru.Workingset(NodeStatItem.WorkingsetActivateAnon)}");
    }

    [Fact]
    public void Without_swap_a_bound_task_cannot_touch_more_than_its_node_holds()
    {
        var cache = Machine(0);

        var got = cache.TouchAnon(0, 12_000, BindNode0);

        Assert.True(got < Pages, $"{got} pages");
        Assert.Equal(0, cache.Event(VmEventItem.Pswpout));
        Assert.Equal(0, cache.Event(VmEventItem.PgstealAnon));
    }

    [Fact]
    public void With_swap_touching_more_than_the_node_holds_writes_pages_out_and_touching_them_again_reads_them_in()
    {
        var cache = Machine(64L << 20);

        var got = cache.TouchAnon(0, 12_000, BindNode0);
        Print(cache, "after 12,000");

        Assert.Equal(12_000, got);
        var pswpout = cache.Event(VmEventItem.Pswpout);
        Assert.True(pswpout >= 12_000 - Pages, $"pswpout {pswpout}");
        // Every page written out left its page table for a swap entry; those whose write has been seen are freed,
        // the rest wait in the swap cache; no page is lost.
        Assert.Equal(pswpout, cache.SwappedOut);
        Assert.Equal(pswpout - cache.Swap.CachedPages, cache.Event(VmEventItem.PgstealAnon));
        Assert.Equal(12_000, cache.AnonPages(0) + cache.SwappedOut);
        Assert.Equal(cache.AnonPages(0) + cache.Swap.CachedPages, cache.Lruvec(0).Size(LruList.ActiveAnon) + cache.Lruvec(0).Size(LruList.InactiveAnon));

        var again = cache.TouchAnon(0, 0, 2000, BindNode0, write: true);
        Print(cache, "after re-touching 2,000");

        Assert.Equal(2000, again);
        var pswpin = cache.Event(VmEventItem.Pswpin);
        Assert.True(pswpin > 0, "nothing read back");
        Assert.Equal(pswpin, cache.Event(VmEventItem.Pgmajfault));
        Assert.Equal(pswpin, cache.Lruvec(0).Workingset(NodeStatItem.WorkingsetRefaultAnon));
    }

    [Fact]
    public void Swappiness_weighs_anonymous_memory_against_the_page_cache()
    {
        // Node 0 holds 3,000 pages of cache and 3,000 anonymous ones, aged until both are in the oldest generation
        // (faulted anon starts young, read cache old: without aging, streaming reads never reach the anon), then its
        // task touches 3,000 anonymous pages more.
        var results = new Dictionary<int, (long Anon, long File)>();
        foreach (var swappiness in new[] { 0, 60, 200 })
        {
            var cache = Machine(64L << 20, swappiness);
            cache.ReadFile(0, new FileMapping(1, "data", 3000), 3000L << 12, BindNode0);
            cache.TouchAnon(0, 3000, BindNode0);
            for (var i = 0; i < 3; i++)
            {
                cache.Lruvec(0).IncMaxSeq(canSwap: true);
            }
            var got = cache.TouchAnon(0, 3000, BindNode0);
            Print(cache, $"swappiness {swappiness}");
            Assert.Equal(3000, got);
            results[swappiness] = (cache.Event(VmEventItem.PgstealAnon), cache.Event(VmEventItem.PgstealFile));
        }

        // get_swappiness 0 leaves anon alone however much swap there is; MAX_SWAPPINESS takes anon first whenever
        // its oldest generation has any; 60 without refaults takes file unless anon's generation is older.
        Assert.Equal(0, results[0].Anon);
        Assert.True(results[60].Anon < results[200].Anon, $"pgsteal_anon {results[60].Anon} at 60, {results[200].Anon} at 200");
        Assert.True(results[200].File < results[0].File, $"pgsteal_file {results[200].File} at 200, {results[0].File} at 0");
    }
}
