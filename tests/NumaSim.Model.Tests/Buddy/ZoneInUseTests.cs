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

/// <summary>A snapshotted zone's pages on CPUs' per-CPU lists: allocated to the zone, there for their CPU to take.</summary>
public sealed class ZonePcpAtStartTests
{
    [Fact]
    public void Pages_on_per_cpu_lists_at_start_are_their_cpus_to_allocate_and_a_drain_gives_them_back()
    {
        var normal = new ZoneSpec(ZoneType.Normal, 1L << 20, 8192, 8192, 8192) { InUse = 1000, PcpPages = [100, 0, 50] };
        var topology = new MachineTopology("snap", Architecture.X86_64,
            [new NodeSpec(0, [0, 1, 2], [normal])], [[10]], VmTunables.Default);
        var machine = new PageAllocatorMachine(topology);
        var zone = ZoneIndex.Of(0, ZoneType.Normal);

        Assert.Equal(8192 - 1000, machine.Zone(zone).Buddy.FreePages);
        Assert.Equal(100, machine.Cpu(0).Pcp(zone).Count);
        Assert.Equal(0, machine.Cpu(1).Pcp(zone).Count);
        Assert.Equal(50, machine.Cpu(2).Pcp(zone).Count);
        // CPU 2 takes its own first (they wait on its unmovable list): its pages follow CPU 0's, just below the free ones.
        var (pfn, _) = machine.Allocate(2, new AllocationRequest(0, Gfp.Kernel, MemPolicy.Default));
        Assert.InRange(pfn, normal.PcpStartPfn + 100, normal.PcpStartPfn + 149);
        Assert.Equal(8192 - 1000, machine.Zone(zone).Buddy.FreePages);

        machine.DrainAllPcp();
        Assert.Equal(8192 - 1000 + 149, machine.Zone(zone).Buddy.FreePages);
    }
}
