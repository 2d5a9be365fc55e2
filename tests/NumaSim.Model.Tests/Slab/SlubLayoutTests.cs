using NumaSim.Model.Slab;
using Xunit;

namespace NumaSim.Model.Tests.Slab;

/// <summary>calculate_order on 2 CPUs (min_objects = 4 * (fls(2) + 1) = 12) against tests/data/reference/procfs-6.18/slabinfo.</summary>
public sealed class SlubLayoutTests
{
    [Theory]
    [InlineData(8, 512, 1)]
    [InlineData(16, 256, 1)]
    [InlineData(32, 128, 1)]
    [InlineData(64, 64, 1)]
    [InlineData(96, 42, 1)]
    [InlineData(128, 32, 1)]
    [InlineData(192, 21, 1)]
    [InlineData(256, 16, 1)]
    [InlineData(512, 16, 2)]
    [InlineData(1024, 16, 4)]
    [InlineData(2048, 16, 8)]
    [InlineData(4096, 8, 8)]
    [InlineData(8192, 4, 8)]
    public void Kmalloc_caches_on_two_cpus_have_the_reference_objperslab_and_pagesperslab(int size, int objPerSlab, int pagesPerSlab)
    {
        var order = SlubLayout.Order(size, 4096, 2);
        Assert.Equal(pagesPerSlab, 1 << order);
        Assert.Equal(objPerSlab, SlubLayout.ObjectsPerSlab(order, size, 4096));
    }

    [Fact]
    public void Every_kmalloc_variant_lists_the_reference_layout()
    {
        var caches = KmallocCaches.Empty(4096, 2);
        var byName = caches.ToDictionary(c => c.Name);
        foreach (var prefix in new[] { "kmalloc-", "kmalloc-cg-", "kmalloc-rcl-", "dma-kmalloc-" })
        {
            Assert.Contains(prefix + "8k", byName.Keys);
            Assert.Contains(prefix + "96", byName.Keys);
        }
        Assert.Equal(4 * 13, caches.Count);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(4096, 0)]
    [InlineData(4097, 1)]
    [InlineData(8192, 1)]
    [InlineData(8193, 2)]
    [InlineData(32768, 3)]
    public void Get_order_is_the_smallest_order_that_holds_the_size(long size, int order) =>
        Assert.Equal(order, SlubLayout.GetOrder(size, 4096));
}
