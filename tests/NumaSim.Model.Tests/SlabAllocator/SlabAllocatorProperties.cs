using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using Xunit;

namespace NumaSim.Model.Tests.SlabAllocator;

/// <summary>Invariants of SLUB and kmalloc under random allocate/free/flush/shrink sequences.</summary>
public sealed class SlabAllocatorProperties
{
    private static readonly int[] CpuToNode = [0, 0, 1, 1];

    [Property(MaxTest = 60)]
    public Property Active_objects_track_allocations_addresses_are_unique_and_destroy_returns_every_page() =>
        Prop.ForAll(SlabGen.Scenarios(), s =>
        {
            var cache = KmemCache.Create("prop", s.Size, 0, SlabFlags.None, false, 4, 2, 4096, s.Debug ? SlubDebugOptions.Parse("FZPU") : null).Cache!;
            var pages = new FakePageSource(2, s.PagesPerNode);
            var slub = new SlubAllocator(cache, pages, CpuToNode);
            var live = new List<ObjectAddress>();
            var unique = new HashSet<ObjectAddress>();
            long allocated = 0, freed = 0;

            foreach (var op in s.Ops)
            {
                switch (op.Kind)
                {
                    case SlabOpKind.Alloc:
                        var gfp = op.ThisNode ? Gfp.Kernel | Gfp.ThisNode : Gfp.Kernel;
                        if (slub.Allocate(op.Cpu, op.Node, gfp, out var address))
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
                        Assert.True(slub.Free(op.Cpu, live[victim]));
                        unique.Remove(live[victim]);
                        live[victim] = live[^1];
                        live.RemoveAt(live.Count - 1);
                        freed++;
                        break;
                    case SlabOpKind.Flush:
                        slub.FlushAll();
                        break;
                    case SlabOpKind.Shrink:
                        slub.Shrink();
                        break;
                }
                Assert.Equal(allocated - freed, slub.ActiveObjects);
                Assert.Equal(pages.PagesTaken - pages.PagesReturned, slub.PagesInUse);
                var row = slub.Snapshot();
                Assert.Equal(slub.TotalObjects, row.NumObjects);
                Assert.InRange(row.ActiveObjects, slub.ActiveObjects, row.NumObjects);
            }
            Assert.Empty(slub.DrainReports());

            var random = new Random(s.Seed);
            foreach (var address in live.OrderBy(_ => random.Next()))
            {
                Assert.True(slub.Free(random.Next(4), address));
            }
            var result = slub.Destroy();
            Assert.Equal((0L, 0L, 0L), (result.LiveObjects, result.LeakedSlabs, result.LeakedPages));
            Assert.Empty(result.Reports);
            Assert.Equal(pages.PagesTaken, pages.PagesReturned);
            Assert.Equal(0, pages.LiveBlocks);
            Assert.Empty(slub.DrainReports());
        });

    [Property(MaxTest = 30)]
    public Property Kmalloc_serves_every_size_from_a_bucket_that_holds_it_and_returns_every_page_after_kfree_and_shrink() =>
        Prop.ForAll(SlabGen.KmallocScenarios(), s =>
        {
            var pages = new FakePageSource(2);
            var kmalloc = new KmallocFamily(pages, CpuToNode, 2, 4096, s.Debug ? SlubDebugOptions.Parse("FZPU") : null);
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
                    Assert.Equal(op.Size > 8192, result.Large);
                    live.Add((result.Address, op.Size));
                }
                else if (op.Kind == SlabOpKind.Free && live.Count > 0)
                {
                    var victim = op.Index % live.Count;
                    Assert.True(kmalloc.Kfree(op.Cpu, live[victim].Address));
                    live[victim] = live[^1];
                    live.RemoveAt(live.Count - 1);
                }
                Assert.Equal(live.Count(l => l.Size <= 8192), kmalloc.Caches.Sum(c => c.ActiveObjects));
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
