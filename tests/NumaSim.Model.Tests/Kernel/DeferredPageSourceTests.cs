using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using NumaSim.Model.Tests.SlabAllocator;
using Xunit;

namespace NumaSim.Model.Tests.Kernel;

public sealed class DeferredPageSourceTests
{
    private static readonly int[] CpuToNode = [0, 0, 1, 1];

    /// <summary>Runs one kmalloc/kfree call the way the slab actor does: attempt, fetch what is pending from the zone, attempt again.</summary>
    private static KmallocResult Kmalloc(KmallocFamily family, DeferredPageSource deferred, IPageSource zone, int cpu, long size, int node, ref int fetches)
    {
        while (true)
        {
            deferred.BeginAttempt();
            var result = family.Kmalloc(cpu, size, Gfp.Kernel, node);
            if (result.Succeeded || deferred.Pending is not { } request)
            {
                deferred.EndOperation();
                ReturnFreed(deferred, zone);
                return result;
            }
            fetches++;
            var ok = zone.TryAllocatePages(request.Node, request.Order, request.Gfp, out var pfn, out var served);
            deferred.Answer(request, ok ? pfn : -1, ok ? served : -1);
        }
    }

    private static void ReturnFreed(DeferredPageSource deferred, IPageSource zone)
    {
        foreach (var (pfn, order) in deferred.TakeFreed())
        {
            zone.FreePages(pfn, order);
        }
    }

    [Fact]
    public void A_call_that_needs_a_slab_leaves_the_request_pending_and_succeeds_once_answered()
    {
        var deferred = new DeferredPageSource();
        var family = new KmallocFamily(deferred, CpuToNode, 2);

        deferred.BeginAttempt();
        Assert.False(family.Kmalloc(0, 100, Gfp.Kernel).Succeeded);
        var request = Assert.NotNull(deferred.Pending);
        Assert.Equal(0, request.Node); // NUMA_NO_NODE: the slab goes on the allocating CPU's node

        deferred.Answer(request, 4096, 0);
        deferred.BeginAttempt();
        var result = family.Kmalloc(0, 100, Gfp.Kernel);
        Assert.True(result.Succeeded);
        Assert.Null(deferred.Pending);
        Assert.True(result.Address.TryGetPfn(4096, out var pfn));
        Assert.InRange(pfn, 4096, 4096 + (1 << request.Order) - 1);
    }

    [Fact]
    public void A_refusal_makes_the_call_fail_and_an_answer_nobody_asked_for_again_is_given_back()
    {
        var deferred = new DeferredPageSource();
        var request = new PageRequest(0, 0, Gfp.Kernel);
        deferred.Answer(request, -1, -1);
        Assert.False(deferred.TryAllocatePages(0, 0, Gfp.Kernel, out _, out _));
        Assert.Null(deferred.Pending);

        // The refusal holds until the operation ends.
        deferred.BeginAttempt();
        Assert.False(deferred.TryAllocatePages(0, 0, Gfp.Kernel, out _, out _));
        Assert.Null(deferred.Pending);
        deferred.EndOperation();
        deferred.BeginAttempt();
        Assert.False(deferred.TryAllocatePages(0, 0, Gfp.Kernel, out _, out _));
        Assert.Equal(request, deferred.Pending);

        deferred.Answer(request, 77, 0);
        deferred.BeginAttempt();
        Assert.False(deferred.TryAllocatePages(1, 0, Gfp.Kernel, out _, out _));
        deferred.EndOperation();
        Assert.Equal([(77L, 0)], deferred.TakeFreed());
    }

    [Property(MaxTest = 40)]
    public Property Deferred_pages_give_the_same_objects_as_pages_given_at_once() =>
        Prop.ForAll(
            Gen.ListOf(Gen.Choose(0, 99).Zip(Gen.Choose(1, 20_000))).ToArbitrary(),
            ops =>
            {
                var directPages = new FakePageSource(2, 4096);
                var direct = new KmallocFamily(directPages, CpuToNode, 2);
                var zone = new FakePageSource(2, 4096);
                var deferred = new DeferredPageSource();
                var stepped = new KmallocFamily(deferred, CpuToNode, 2);
                var live = new List<ObjectAddress>();
                var fetches = 0;
                foreach (var (pick, size) in ops)
                {
                    if (pick < 60 || live.Count == 0)
                    {
                        var node = pick % 3 - 1;
                        var a = direct.Kmalloc(pick % 4, size, Gfp.Kernel, node);
                        var b = Kmalloc(stepped, deferred, zone, pick % 4, size, node, ref fetches);
                        Assert.Equal(a.Address, b.Address);
                        if (a.Succeeded)
                        {
                            live.Add(a.Address);
                        }
                    }
                    else
                    {
                        var victim = live[pick % live.Count];
                        live.Remove(victim);
                        Assert.Equal(direct.Kfree(pick % 4, victim), stepped.Kfree(pick % 4, victim));
                        ReturnFreed(deferred, zone);
                    }
                }
                // Every block the stepped family asked for and did not keep went back to the zone.
                Assert.Equal(directPages.LiveBlocks, zone.LiveBlocks);
                Assert.Equal(directPages.PagesTaken - directPages.PagesReturned, zone.PagesTaken - zone.PagesReturned);
            });
}
