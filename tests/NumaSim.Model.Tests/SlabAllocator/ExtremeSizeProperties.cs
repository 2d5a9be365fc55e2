using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using NumaSim.Model.Tests.Vmalloc;
using NumaSim.Model.Vmalloc;
using Xunit;

namespace NumaSim.Model.Tests.SlabAllocator;

/// <summary>
/// Sizes from anywhere in 0..long.MaxValue, the edges weighted up (KMALLOC_MAX_SIZE and one past it, a page either
/// side of a power of two, long.MaxValue): the kmalloc family and vmalloc's reservation answer as the kernel does
/// and no size wraps into a small one.
/// </summary>
public sealed class ExtremeSizeProperties
{
    private const long KmallocMaxSize = 4096L << 10;

    private static Arbitrary<long> Sizes() =>
        Gen.Frequency(
            (2, Gen.Elements(0L, 1L, 8L, 8192L, 8193L, KmallocMaxSize - 1, KmallocMaxSize, KmallocMaxSize + 1, long.MaxValue, long.MaxValue - 4095, (long)int.MaxValue * 4096, ((long)int.MaxValue - 1) * 4096)),
            (2, from shift in Gen.Choose(0, 62)
                from delta in Gen.Choose(-4097, 4097)
                select Math.Clamp((1L << shift) + delta, 0, long.MaxValue)),
            (1, from hi in Gen.Choose(0, int.MaxValue)
                from lo in Gen.Choose(0, int.MaxValue)
                select ((long)hi << 32) | (uint)lo)).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Kmalloc_beyond_KMALLOC_MAX_SIZE_fails_and_below_it_serves_at_least_the_request() =>
        Prop.ForAll(Sizes(), Gen.Elements(SlabAllocatorKind.Slub, SlabAllocatorKind.Slab, SlabAllocatorKind.Slob).ToArbitrary(), (size, kind) =>
        {
            var family = new KmallocFamily(new FakePageSource(1), [0], 1, allocator: SlabAllocatorOptions.For(kind));
            Assert.Equal(KmallocMaxSize, family.MaxSize);
            var result = family.Kmalloc(0, size, Gfp.Kernel);
            if (size > KmallocMaxSize)
            {
                Assert.False(result.Succeeded, $"kmalloc({size}) succeeded under {kind}");
                Assert.True(result.BytesAlloc >= KmallocMaxSize, $"bytes_alloc {result.BytesAlloc} of a failed kmalloc({size}) wrapped");
                return;
            }
            Assert.True(result.Succeeded, $"kmalloc({size}) failed under {kind}");
            Assert.True(size == 0 || family.Ksize(result.Address) >= size, $"ksize {family.Ksize(result.Address)} < {size}");
            Assert.True(family.Kfree(0, result.Address));
        });

    [Property(MaxTest = 300)]
    public Property Get_order_never_wraps_to_a_smaller_block_than_the_size() =>
        Prop.ForAll(Sizes(), size =>
        {
            var order = SlubLayout.GetOrder(size, 4096);
            Assert.InRange(order, 0, 51);
            // 4096 << order in 128 bits, so that order 51 does not wrap either.
            Assert.True((UInt128)4096 << order >= (UInt128)size, $"get_order({size}) = {order} is too small");
            Assert.True(order == 0 || (UInt128)4096 << (order - 1) < (UInt128)size, $"get_order({size}) = {order} is too large");
        });

    [Property(MaxTest = 300)]
    public Property Vmalloc_reserves_page_aligned_areas_that_hold_the_size_or_none() =>
        Prop.ForAll(Sizes(), size =>
        {
            var h = new VmallocHarness();
            if (size == 0)
            {
                Assert.Throws<ArgumentOutOfRangeException>(() => h.Area.Reserve(size, "prop+0x0/0x1"));
                return;
            }
            var area = h.Area.Reserve(size, "prop+0x0/0x1");
            if (area is null)
            {
                // Only what v->nr_pages (an unsigned int, less the guard page) or the 32 TiB range cannot hold.
                Assert.True(size > (long)(int.MaxValue - 1) * 4096, $"vmalloc({size}) found no room");
                return;
            }
            Assert.True((long)area.NrPages * 4096 >= size, $"{area.NrPages} pages for {size} bytes");
            Assert.Equal(((long)area.NrPages + 1) * 4096, area.Size);
        });
}
