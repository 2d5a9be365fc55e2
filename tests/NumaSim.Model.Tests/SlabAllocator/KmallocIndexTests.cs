using NumaSim.Model.Slab;
using Xunit;

namespace NumaSim.Model.Tests.SlabAllocator;

/// <summary>kmalloc_slab's table lookup against a transcription of __kmalloc_index (include/linux/slab.h,
/// KMALLOC_MIN_SIZE 8) for every size a cache serves with 4 KiB pages.</summary>
public sealed class KmallocIndexTests
{
    /// <summary>__kmalloc_index(size, false) with KMALLOC_MIN_SIZE = 8, KMALLOC_SHIFT_LOW = 3.</summary>
    private static int KernelKmallocIndex(long size)
    {
        if (size == 0) return 0;
        if (size <= 8) return 3;
        if (size > 64 && size <= 96) return 1;
        if (size > 128 && size <= 192) return 2;
        if (size <= 8) return 3;
        if (size <= 16) return 4;
        if (size <= 32) return 5;
        if (size <= 64) return 6;
        if (size <= 128) return 7;
        if (size <= 256) return 8;
        if (size <= 512) return 9;
        if (size <= 1024) return 10;
        if (size <= 2 * 1024) return 11;
        if (size <= 4 * 1024) return 12;
        if (size <= 8 * 1024) return 13;
        return -1;
    }

    private static readonly int[] Classes = [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192];

    [Fact]
    public void Every_size_from_1_to_8192_maps_to_the_kernel_index_and_the_smallest_class_that_holds_it()
    {
        for (var size = 1; size <= 8192; size++)
        {
            var index = KmallocFamily.KmallocIndex(size);
            Assert.Equal(KernelKmallocIndex(size), index);
            Assert.Equal(Classes.First(c => c >= size), KmallocFamily.IndexSize(index));
        }
    }

    [Theory]
    [InlineData(1, "kmalloc-8")]
    [InlineData(9, "kmalloc-16")]
    [InlineData(65, "kmalloc-96")]
    [InlineData(96, "kmalloc-96")]
    [InlineData(97, "kmalloc-128")]
    [InlineData(129, "kmalloc-192")]
    [InlineData(193, "kmalloc-256")]
    [InlineData(1025, "kmalloc-2k")]
    [InlineData(4097, "kmalloc-8k")]
    public void Sizes_name_their_cache(int size, string name)
    {
        var family = new KmallocFamily(new FakePageSource(1), [0], 1);
        Assert.Equal(name, family.CacheFor(size, PageAlloc.Gfp.Kernel)!.Cache.Name);
    }
}
