using NumaSim.Model.PageAlloc;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Watermarks;

/// <summary>gfp_to_alloc_flags and what each gfp may take from the reserves below the min watermark.</summary>
public sealed class ReserveAccessTests
{
    private static readonly int Zone = ZoneIndex.Of(0, ZoneType.Normal);

    [Fact]
    public void Gfp_kernel_slow_path_checks_min_with_cpuset_and_kswapd_and_no_reserves() =>
        Assert.Equal(AllocFlags.WmarkMin | AllocFlags.Cpuset | AllocFlags.Kswapd, AllocFlagsFor.SlowPath(Gfp.Kernel, 0));

    [Fact]
    public void Gfp_atomic_slow_path_gets_min_reserve_and_non_block_and_ignores_cpusets()
    {
        Assert.Equal(AllocFlags.MinReserve | AllocFlags.NonBlock | AllocFlags.Kswapd, AllocFlagsFor.SlowPath(Gfp.Atomic, 0));
        Assert.Equal(AllocFlags.MinReserve | AllocFlags.NonBlock | AllocFlags.HighAtomic | AllocFlags.Kswapd, AllocFlagsFor.SlowPath(Gfp.Atomic, 2));
    }

    [Fact]
    public void Gfp_nowait_slow_path_is_non_block_without_min_reserve() =>
        Assert.Equal(AllocFlags.NonBlock | AllocFlags.Cpuset | AllocFlags.Kswapd, AllocFlagsFor.SlowPath(Gfp.NoWait, 0));

    [Fact]
    public void Nomemalloc_turns_off_non_block() =>
        Assert.Equal(AllocFlags.MinReserve | AllocFlags.Kswapd, AllocFlagsFor.SlowPath(Gfp.Atomic | Gfp.NoMemalloc, 1));

    [Fact]
    public void Fast_path_checks_the_low_watermark() =>
        Assert.Equal(WatermarkKind.Low, AllocFlagsFor.Watermark(AllocFlagsFor.FastPath(Gfp.Atomic)));

    /// <summary>
    /// The zone stops handing out pages once its free count is at the mark; the last per-CPU refill, which
    /// rmqueue_bulk takes without a watermark check, may carry it below by less than the largest refill
    /// (batch &lt;&lt; CONFIG_PCP_BATCH_SCALE_MAX).
    /// </summary>
    private static void AssertStoppedAt(PageAllocatorMachine machine, long mark)
    {
        var free = machine.Zone(Zone).Buddy.FreePages;
        var largestRefill = machine.Setup.Zone(Zone).PcpBatch << PerCpuPages.BatchScaleMax;
        Assert.InRange(free, mark - largestRefill + 1, mark);
    }

    private static (PageAllocatorMachine Machine, long Min) ExhaustWithGfpKernel()
    {
        // 8192 pages: batch 1, so refills are small (at most 32 pages).
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal());
        var kernelThisNode = new AllocationRequest(0, Gfp.Kernel | Gfp.ThisNode, MemPolicy.Default);
        while (machine.Allocate(0, kernelThisNode).Pfn >= 0)
        {
        }
        return (machine, machine.Zone(Zone).Setup.Watermarks.Min);
    }

    [Fact]
    public void Gfp_kernel_stops_at_the_min_watermark()
    {
        var (machine, min) = ExhaustWithGfpKernel();
        Assert.Equal(1, machine.Setup.Zone(Zone).PcpBatch);
        AssertStoppedAt(machine, min);
    }

    [Fact]
    public void Gfp_nowait_gets_no_reserve_access()
    {
        var (machine, min) = ExhaustWithGfpKernel();
        var before = machine.Zone(Zone).Buddy.FreePages;
        Assert.Equal(-1, machine.Allocate(0, new AllocationRequest(0, Gfp.NoWait | Gfp.ThisNode, MemPolicy.Default)).Pfn);
        Assert.Equal(before, machine.Zone(Zone).Buddy.FreePages);
    }

    [Fact]
    public void Gfp_atomic_may_dip_to_three_eighths_of_min()
    {
        var (machine, min) = ExhaustWithGfpKernel();
        var atomic = new AllocationRequest(0, Gfp.Atomic | Gfp.ThisNode, MemPolicy.Default);
        while (machine.Allocate(0, atomic).Pfn >= 0)
        {
        }
        var half = min - min / 2;
        AssertStoppedAt(machine, half - half / 4);
    }

    [Fact]
    public void Gfp_high_that_may_reclaim_dips_to_half_of_min()
    {
        var (machine, min) = ExhaustWithGfpKernel();
        var high = new AllocationRequest(0, Gfp.Kernel | Gfp.High | Gfp.ThisNode, MemPolicy.Default);
        while (machine.Allocate(0, high).Pfn >= 0)
        {
        }
        AssertStoppedAt(machine, min - min / 2);
    }
}
