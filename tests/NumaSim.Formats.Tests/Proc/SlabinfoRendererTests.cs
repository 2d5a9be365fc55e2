using NumaSim.Formats.Proc;
using NumaSim.Formats.Tests.Support;
using NumaSim.Model.Slab;
using NumaSim.Model.Snapshots;

namespace NumaSim.Formats.Tests.Proc;

public class SlabinfoRendererTests
{
    [Fact]
    public void Reference_caches_render_byte_identical_to_the_real_slabinfo()
    {
        Assert.Equal(RepositoryPaths.ReadReference("slabinfo"), SlabinfoRenderer.Render(ReferenceMachine.Build()));
    }

    [Fact]
    public void Slab_tunables_fill_the_tunables_columns_and_sharedavail_the_last_slabdata_column()
    {
        var machine = SyntheticMachine.Build() with
        {
            SlabCaches =
            [
                new SlabCacheSnapshot("kmalloc-192", 200, 231, 192, 21, 1, 11, 11, false, 120, 60, 8, 37),
                new SlabCacheSnapshot("kmalloc-8k", 3, 4, 8192, 1, 2, 3, 4, false, 8, 4, 0, 0),
            ],
        };
        var lines = SlabinfoRenderer.Render(machine).Split('\n');
        Assert.Equal(
            "kmalloc-192          200    231    192   21    1 : tunables  120   60    8 : slabdata     11     11     37",
            lines[2]);
        Assert.Equal(
            "kmalloc-8k             3      4   8192    1    2 : tunables    8    4    0 : slabdata      3      4      0",
            lines[3]);
    }

    [Fact]
    public void Boot_time_slab_kmalloc_caches_render_with_their_enable_cpucache_tunables()
    {
        var machine = SyntheticMachine.Build() with
        {
            SlabCaches = KmallocCaches.Empty(4096, 2, SlabAllocatorOptions.For(SlabAllocatorKind.Slab)),
        };
        var lines = SlabinfoRenderer.Render(machine).Split('\n');
        Assert.Contains(
            "kmalloc-96             0      0    128   32    1 : tunables  120   60    8 : slabdata      0      0      0",
            lines);
        Assert.Contains(
            "kmalloc-1k             0      0   1024    4    1 : tunables   54   27    8 : slabdata      0      0      0",
            lines);
    }
}
