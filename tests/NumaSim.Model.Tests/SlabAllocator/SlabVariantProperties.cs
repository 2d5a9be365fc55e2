using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using Xunit;

namespace NumaSim.Model.Tests.SlabAllocator;

/// <summary>
/// The invariants every allocator keeps under random allocate/free/flush/shrink sequences on 4 CPUs over 2 nodes,
/// through <see cref="ISlabAllocator"/> only: active objects = allocations - frees, no object out twice, every page
/// accounted for, and every page back after freeing everything and destroying the cache. Debug scenarios run SLUB
/// with slub_debug=FZPU and SLAB with CONFIG_DEBUG_SLAB (SLOB has no debugging).
/// </summary>
public sealed class SlabVariantProperties
{
    private static readonly int[] CpuToNode = [0, 0, 1, 1];

    private static readonly SlabAllocatorKind[] Kinds = [SlabAllocatorKind.Slub, SlabAllocatorKind.Slab, SlabAllocatorKind.Slob];

    public static Arbitrary<(SlabAllocatorKind Kind, SlabScenario Scenario)> Variants() =>
        (from kind in Gen.Elements(Kinds)
         from scenario in SlabGen.Scenarios().Generator
         select (kind, scenario)).ToArbitrary();

    public static Arbitrary<(SlabAllocatorKind Kind, SlabScenario Scenario)> KmallocVariants() =>
        (from kind in Gen.Elements(Kinds)
         from scenario in SlabGen.KmallocScenarios().Generator
         select (kind, scenario)).ToArbitrary();

    private static SlabAllocatorOptions Options(SlabAllocatorKind kind, bool debug) =>
        SlabAllocatorOptions.For(kind) with { DebugSlab = debug && kind == SlabAllocatorKind.Slab };

    [Property(MaxTest = 150)]
    public Property Every_allocator_tracks_its_objects_hands_each_out_once_and_returns_every_page() =>
        Prop.ForAll(Variants(), v =>
        {
            var (kind, s) = v;
            var options = Options(kind, s.Debug);
            var slubDebug = s.Debug && kind == SlabAllocatorKind.Slub ? SlubDebugOptions.Parse("FZPU") : null;
            var cache = SlabAllocatorFactory.CreateCache(options, "prop", s.Size, 0, SlabFlags.None, false, 4, 2, 4096, slubDebug).Cache!;
            Assert.Equal(kind, cache.Allocator);
            var pages = new FakePageSource(2, s.PagesPerNode);
            var allocator = SlabAllocatorFactory.Create(cache, pages, CpuToNode, allocator: options);
            var live = new List<ObjectAddress>();
            var unique = new HashSet<ObjectAddress>();
            long allocated = 0, freed = 0;

            foreach (var op in s.Ops)
            {
                switch (op.Kind)
                {
                    case SlabOpKind.Alloc:
                        var gfp = op.ThisNode ? Gfp.Kernel | Gfp.ThisNode : Gfp.Kernel;
                        if (allocator.Allocate(op.Cpu, op.Node, gfp, out var address))
                        {
                            Assert.True(unique.Add(address), $"{address} handed out twice");
                            live.Add(address);
                            allocated++;
                            if (op.ThisNode && op.Node >= 0)
                            {
                                Assert.Equal(op.Node, FakePageSource.NodeOf(address));
                            }
                        }
                        break;
                    case SlabOpKind.Free when live.Count > 0:
                        var victim = op.Index % live.Count;
                        Assert.True(allocator.Free(op.Cpu, live[victim]));
                        unique.Remove(live[victim]);
                        live[victim] = live[^1];
                        live.RemoveAt(live.Count - 1);
                        freed++;
                        break;
                    case SlabOpKind.Flush:
                        allocator.FlushAll();
                        break;
                    case SlabOpKind.Shrink:
                        allocator.Shrink();
                        break;
                }
                Assert.Equal(allocated - freed, allocator.ActiveObjects);
                Assert.Equal(pages.PagesTaken - pages.PagesReturned, allocator.PagesInUse);
                var row = allocator.Snapshot();
                Assert.InRange(row.ActiveObjects, allocator.ActiveObjects, row.NumObjects);
                Assert.InRange(row.ActiveSlabs, 0, row.NumSlabs);
            }
            Assert.Empty(allocator.DrainReports());

            var random = new Random(s.Seed);
            foreach (var address in live.OrderBy(_ => random.Next()))
            {
                Assert.True(allocator.Free(random.Next(4), address));
            }
            Assert.Equal(0, allocator.Shrink());
            var result = allocator.Destroy();
            Assert.Equal((0L, 0L, 0L), (result.LiveObjects, result.LeakedSlabs, result.LeakedPages));
            Assert.Empty(result.Reports);
            Assert.Equal(pages.PagesTaken, pages.PagesReturned);
            Assert.Equal(0, pages.LiveBlocks);
            Assert.Empty(allocator.DrainReports());
        });

    [Property(MaxTest = 60)]
    public Property Kmalloc_under_every_allocator_fits_each_request_and_returns_every_page_after_kfree_and_shrink() =>
        Prop.ForAll(KmallocVariants(), v =>
        {
            var (kind, s) = v;
            var pages = new FakePageSource(2);
            var slubDebug = s.Debug && kind == SlabAllocatorKind.Slub ? SlubDebugOptions.Parse("FZPU") : null;
            var kmalloc = new KmallocFamily(pages, CpuToNode, 2, 4096, slubDebug, allocator: Options(kind, s.Debug));
            var largeFrom = kind == SlabAllocatorKind.Slob ? 4088 : 8193;
            var live = new List<(ObjectAddress Address, long Size)>();
            var gfps = new[] { Gfp.Kernel, Gfp.KernelAccount, Gfp.Kernel | Gfp.Reclaimable, Gfp.Atomic | Gfp.Dma };

            foreach (var op in s.Ops)
            {
                if (op.Kind == SlabOpKind.Alloc)
                {
                    var gfp = gfps[(int)(op.Size % gfps.Length)];
                    var result = op.Index % 2 == 0 ? kmalloc.KmallocNode(op.Cpu, op.Size, gfp, op.Node) : kmalloc.Kzalloc(op.Cpu, op.Size, gfp);
                    Assert.True(result.Succeeded);
                    if (op.Size == 0)
                    {
                        Assert.Equal(ObjectAddress.ZeroSizePtr, result.Address);
                        continue;
                    }
                    Assert.InRange(kmalloc.Ksize(result.Address), op.Size, long.MaxValue);
                    Assert.Equal(op.Size >= largeFrom, result.Large);
                    Assert.DoesNotContain(live, l => l.Address == result.Address);
                    live.Add((result.Address, op.Size));
                }
                else if (op.Kind == SlabOpKind.Free && live.Count > 0)
                {
                    var victim = op.Index % live.Count;
                    Assert.True(kmalloc.Kfree(op.Cpu, live[victim].Address));
                    live[victim] = live[^1];
                    live.RemoveAt(live.Count - 1);
                }
                Assert.Equal(live.Count(l => l.Size < largeFrom), kmalloc.Caches.Sum(c => c.ActiveObjects));
            }
            foreach (var (address, _) in live)
            {
                Assert.True(kmalloc.Kfree(0, address));
            }
            Assert.All(kmalloc.Caches, c => Assert.Equal(0, c.Shrink()));
            Assert.Equal(pages.PagesTaken, pages.PagesReturned);
            Assert.Equal(0, kmalloc.PageMap.PageCount);
            Assert.Empty(kmalloc.DrainReports());
        });
}
