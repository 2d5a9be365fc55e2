namespace NumaSim.Scenarios.Tests;

/// <summary>
/// Slab caches: kmem_cache_create (numasim.slab.caches) with its flags, kmem_cache_alloc / free / destroy from the
/// script, and what each flag does: SLAB_HWCACHE_ALIGN aligns objects to the cache line, SLAB_RED_ZONE catches
/// overruns, SLAB_POISON catches uses after free, SLAB_CACHE_DMA takes slab pages from ZONE_DMA, SLAB_PANIC panics
/// on a failed create. Outputs: /proc/slabinfo, summary.json errors and panic.
/// </summary>
public sealed class SlabCacheTests : NumaSimTestKit
{
    private static NumaScenario WithCache(string flags, int size = 100, bool ctor = false) =>
        Machines.TwoNodesFourCpus().With($$"""slab.caches = [ { name = "demo", size = {{size}}, align = 0, flags = "{{flags}}", ctor = {{(ctor ? "on" : "off")}} } ]""");

    [Fact]
    public async Task Create_alloc_free_and_destroy_with_an_object_left_reports_objects_remaining()
    {
        var reports = Listen<KernelReported>();
        var run = await RunAsync(WithCache("0", ctor: true)
            .At("1us", 0, "kmem_cache_alloc", ("name", "a"), ("cache", "demo"))
            .At("1us", 0, "kmem_cache_alloc", ("name", "b"), ("cache", "demo"))
            .At("2us", 0, "kmem_cache_free", ("name", "a"))
            .At("3us", 0, "kmem_cache_destroy", ("cache", "demo")));

        var leak = reports.ExpectMsg<KernelReported>();
        Assert.Equal(("objects_remaining", "demo"), (leak.Kind, leak.Cache));
        Assert.DoesNotContain(run.Machine.SlabCaches, c => c.Name == "demo");
        // The constructor ran once per object of the one slab made: 36 objects of 112 bytes (a constructor moves
        // the free pointer out of the object) in an order-0 slab.
        Assert.Equal(36, run.Kernel.CtorCalls);
    }

    [Fact]
    public async Task Hwcache_align_rounds_a_100_byte_object_up_to_the_128_byte_cache_line_pair()
    {
        var plain = await RunAsync(WithCache("0").At("1us", 0, "kmem_cache_alloc", ("name", "a"), ("cache", "demo")));
        var aligned = await RunAsync(WithCache("SLAB_HWCACHE_ALIGN").At("1us", 0, "kmem_cache_alloc", ("name", "a"), ("cache", "demo")));

        Assert.Equal(104, plain.Slabinfo("demo").ObjectSize);
        Assert.Equal(128, aligned.Slabinfo("demo").ObjectSize);
    }

    [Fact]
    public async Task Red_zone_catches_a_write_past_the_object_and_poison_a_write_after_its_free()
    {
        var reports = Listen<KernelReported>();
        await RunAsync(WithCache("SLAB_RED_ZONE|SLAB_POISON|SLAB_CONSISTENCY_CHECKS")
            .At("1us", 0, "kmem_cache_alloc", ("name", "over"), ("cache", "demo"))
            .Corrupt("2us", 0, "over", offset: 100, length: 8)
            .At("3us", 0, "kmem_cache_free", ("name", "over"))
            .At("4us", 0, "kmem_cache_alloc", ("name", "keep"), ("cache", "demo"))
            .At("5us", 0, "kmem_cache_alloc", ("name", "stale"), ("cache", "demo"))
            .At("6us", 0, "kmem_cache_free", ("name", "stale"))
            .Corrupt("7us", 0, "stale", offset: 16, length: 8, value: 0)
            .At("8us", 0, "kmem_cache_alloc", ("name", "again"), ("cache", "demo")));

        // The first allocation waits for a slab page (the per-CPU list refills a batch under the zone lock), so the
        // script's later calls run when it returns; the free finds the red zone, the last allocation the poison.
        var redzone = reports.ExpectMsg<KernelReported>();
        Assert.Equal("right_redzone_overwritten", redzone.Kind);
        Assert.Contains("BUG demo (Not tainted): Right Redzone overwritten", redzone.Message, StringComparison.Ordinal);
        var poison = reports.ExpectMsg<KernelReported>();
        Assert.Equal("poison_overwritten", poison.Kind);
        Assert.Contains("First byte 0x0 instead of 0x6b", poison.Message, StringComparison.Ordinal);
        Assert.True(poison.SimulatedNs >= redzone.SimulatedNs);
    }

    [Fact]
    public async Task Slab_cache_dma_takes_its_slab_pages_from_the_dma_zone()
    {
        var run = await RunAsync(WithCache("SLAB_CACHE_DMA").At("1us", 0, "kmem_cache_alloc", ("name", "a"), ("cache", "demo")));

        Assert.Equal(1, run.Vmstat("pgalloc_dma"));
    }

    [Fact]
    public async Task Slab_panic_on_a_create_that_fails_panics_the_simulated_kernel()
    {
        var run = await RunAsync(WithCache("SLAB_PANIC", size: 0));

        Assert.Equal("Kernel panic - not syncing: __kmem_cache_create_args: Failed to create slab 'demo'. Error -22", run.Panic);
    }
}
