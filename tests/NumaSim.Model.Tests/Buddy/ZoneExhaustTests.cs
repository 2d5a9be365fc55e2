using NumaSim.Model.PageAlloc;
using NumaSim.Model.Tests.Support;
using Xunit;

namespace NumaSim.Model.Tests.Buddy;

public sealed class ZoneExhaustTests
{
    [Fact]
    public void Exhaust_takes_every_free_page_of_every_order_and_type_and_frees_still_come_back()
    {
        var setup = new PageAllocatorSetup(Machines.TwoNodeNormal(8192));
        var zone = new ZonePageAllocator(setup.Populated[0], setup.Topology.Arch);
        var held = zone.Buddy.Allocate(3, MigrateType.Unmovable);
        var free = zone.Buddy.FreePages;

        Assert.Equal(free, zone.Exhaust());
        Assert.Equal(0, zone.Buddy.FreePages);
        Assert.Equal(0, zone.View.FreePages);
        Assert.Equal(-1, zone.Buddy.Allocate(0, MigrateType.Movable));

        Assert.True(zone.Free([(held, 3)]));
        Assert.Equal(8, zone.Buddy.FreePages);
        Assert.Equal(8, zone.Exhaust());
    }
}
