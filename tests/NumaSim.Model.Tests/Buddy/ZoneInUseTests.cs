using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Buddy;

/// <summary>A zone that starts with pages in use (a snapshotted machine's): they are never on the free lists.</summary>
public sealed class ZoneInUseTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    [InlineData(8000)]
    public void A_zone_boots_with_managed_minus_in_use_free_and_never_hands_out_the_pages_in_use(long inUse)
    {
        var spec = new ZoneSpec(ZoneType.Dma32, 4096, 8192, 8192, 8000) { InUse = inUse };
        var zone = new BuddyZone(spec, Architecture.X86_64);

        Assert.Equal(8000 - inUse, zone.FreePages);
        Assert.Equal(8000, zone.ManagedPages);
        var firstFree = spec.EndPfn - spec.Managed + inUse;
        var pfns = new List<long>();
        zone.AllocateBulk(0, MigrateType.Movable, int.MaxValue, pfns);
        Assert.Equal(8000 - inUse, pfns.Count);
        Assert.All(pfns, p => Assert.InRange(p, firstFree, spec.EndPfn - 1));
        // A page in use is not an allocated block a free could give back.
        Assert.False(inUse > 0 && zone.Free(firstFree - 1, 0));
    }
}
