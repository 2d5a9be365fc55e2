using NumaSim.Model.Slab;
using Xunit;

namespace NumaSim.Model.Tests.SlabAllocator;

/// <summary>slub_debug parsing and kmem_cache_flags as mm/slub.c does them.</summary>
public sealed class SlubDebugOptionsTests
{
    private const SlabFlags F = SlabFlags.ConsistencyChecks;
    private const SlabFlags Z = SlabFlags.RedZone;
    private const SlabFlags P = SlabFlags.Poison;
    private const SlabFlags U = SlabFlags.StoreUser;

    [Fact]
    public void Bare_slub_debug_turns_on_full_debugging_everywhere()
    {
        Assert.Equal(F | Z | P | U, SlubDebugOptions.Parse("").Apply(SlabFlags.None, "dentry"));
        Assert.Equal(SlabFlags.None, SlubDebugOptions.Parse(null).Apply(SlabFlags.None, "dentry"));
    }

    [Fact]
    public void Letters_without_a_list_are_global()
    {
        var options = SlubDebugOptions.Parse("FPZU");
        Assert.Equal(F | Z | P | U, options.GlobalFlags);
        Assert.Equal(F | Z | P | U | SlabFlags.HwcacheAlign, options.Apply(SlabFlags.HwcacheAlign, "anything"));
    }

    [Fact]
    public void Letters_with_a_list_only_touch_the_named_caches()
    {
        var options = SlubDebugOptions.Parse("FZ,kmalloc-64");
        Assert.Equal(F | Z, options.Apply(SlabFlags.None, "kmalloc-64"));
        Assert.Equal(SlabFlags.None, options.Apply(SlabFlags.None, "kmalloc-640"));
        Assert.Equal(SlabFlags.None, options.Apply(SlabFlags.None, "kmalloc-128"));
    }

    [Fact]
    public void A_list_without_letters_means_full_debugging_and_globs_match_prefixes()
    {
        var options = SlubDebugOptions.Parse(",kmalloc-*");
        Assert.Equal(F | Z | P | U, options.Apply(SlabFlags.None, "kmalloc-rcl-64"));
        Assert.Equal(SlabFlags.None, options.Apply(SlabFlags.None, "dentry"));
    }

    [Fact]
    public void Blocks_separated_by_semicolons_combine_global_and_per_cache_flags()
    {
        var options = SlubDebugOptions.Parse("P;U,dentry;-,kmalloc-8");
        Assert.Equal(P, options.GlobalFlags);
        Assert.Equal(U, options.Apply(SlabFlags.None, "dentry"));
        Assert.Equal(SlabFlags.None, options.Apply(SlabFlags.None, "kmalloc-8"));
        Assert.Equal(P, options.Apply(SlabFlags.None, "inode_cache"));
    }

    [Fact]
    public void Unknown_letters_are_skipped_with_the_kernel_message()
    {
        var options = SlubDebugOptions.Parse("FQ");
        Assert.Equal(F, options.GlobalFlags);
        Assert.Equal(["slab_debug option 'Q' unknown. skipped"], options.Warnings);
    }
}
