using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Sched;
using Xunit;

namespace NumaSim.Model.Tests.Migrate;

/// <summary>kernel/sched/fair.c's scan-period arithmetic, with numbers worked by hand from the kernel's formulas (4 KiB pages, defaults 1000/1000/60000 ms, 256 MB).</summary>
public sealed class NumaScanPeriodTests
{
    private const int PageShift = 12;
    private static readonly NumaBalancingSysctls D = NumaBalancingSysctls.Default;

    [Theory]
    [InlineData(0, 1)] // no RSS counts as one scan's worth
    [InlineData(65536, 1)] // exactly 256 MB
    [InlineData(65537, 2)]
    [InlineData(300000, 5)] // 4 * 65536 < 300000 <= 5 * 65536
    public void Scan_windows_are_the_resident_pages_in_whole_scans(long rss, long windows) =>
        Assert.Equal(windows, NumaScanPeriod.Windows(D, PageShift, rss));

    [Theory]
    [InlineData(65536, 1000, 60000)] // 1000 / 1, 60000 / 1
    [InlineData(300000, 200, 12000)] // 1000 / 5, 60000 / 5
    [InlineData(1310720, 100, 3000)] // 1000 / 20 = 50 is below the floor 1000 / (2560 / 256) = 100
    public void Period_bounds_divide_by_the_windows_and_never_pass_the_floor(long rss, int min, int max)
    {
        Assert.Equal(min, NumaScanPeriod.Min(D, PageShift, rss));
        Assert.Equal(max, NumaScanPeriod.Max(D, PageShift, rss));
        Assert.Equal(min, NumaScanPeriod.Start(D, PageShift, rss));
    }

    [Fact]
    public void A_scan_size_at_the_window_limit_has_a_floor_of_a_second() =>
        Assert.Equal(1000, NumaScanPeriod.Min(D with { ScanSizeMb = 4096, ScanPeriodMinMs = 10 }, PageShift, 1));

    [Theory]
    // private faults dominate: ps_ratio 10, slot 3: 1000 + 3 * 100
    [InlineData(1000, 0, 100, 0, 100, 1000, 60000, 1300)]
    // half private, 8 of 10 local: lr_ratio 8, slot 1: + 100
    [InlineData(1000, 80, 20, 50, 50, 100, 60000, 1100)]
    // ps_ratio 4, lr_ratio 3: faster by (7 - 4) * 100
    [InlineData(1000, 30, 70, 60, 40, 100, 60000, 700)]
    // period_slot rounds up: DIV_ROUND_UP(1005, 10) = 101, ps_ratio exactly 7 still moves one slot
    [InlineData(1005, 0, 10, 3, 7, 100, 60000, 1106)]
    // clamped to the maximum
    [InlineData(1000, 0, 100, 0, 100, 1000, 1200, 1200)]
    // clamped to the minimum
    [InlineData(1000, 0, 100, 100, 0, 900, 60000, 900)]
    public void A_placement_moves_the_period_by_tenths(int period, long local, long remote, long shared, long priv, int min, int max, int expected) =>
        Assert.Equal(expected, NumaScanPeriod.Adapt(period, local, remote, shared, priv, min, max));

    [Fact]
    public void No_local_or_shared_fault_doubles_the_period_up_to_the_maximum()
    {
        Assert.Equal(2000, NumaScanPeriod.Slower(1000, 60000));
        Assert.Equal(60000, NumaScanPeriod.Slower(40000, 60000));
    }

    [Fact]
    public void The_first_scan_waits_for_the_delay_twice_on_the_tick_grid()
    {
        const long ms = 1_000_000;
        var numa = new TaskNumaBalancing(D, 2, PageShift, start: 0);
        var vma = new Vma(0x100000, 0x100000 + 1024, Protection.ReadWrite, MemPolicy.Default);
        var marked = 0L;
        long Mark(Vma v, long start, long end)
        {
            marked += end - start;
            return end - start;
        }

        // The task's period starts as scan_delay: nothing until its runtime passes 1000 ms, tick by tick.
        Assert.False(numa.Tick(1000 * ms, 1024));
        Assert.True(numa.Tick(1004 * ms, 1024));
        Assert.Equal(1000, numa.ScanPeriodMs);
        // An exec'd mm has no next scan yet: the first task_numa_work only sets it one delay ahead.
        Assert.False(numa.Work(1004 * ms, 1024, [vma], MemPolicy.Default, 512, Mark));
        Assert.Equal(2004 * ms, numa.NextScan);
        Assert.False(numa.Tick(2000 * ms, 1024));
        Assert.True(numa.Tick(2004 * ms, 1024));
        Assert.True(numa.Work(2004 * ms, 1024, [vma], MemPolicy.Default, 512, Mark));
        Assert.Equal(1024, marked);
        Assert.Equal(3004 * ms, numa.NextScan);
        // The VMA was scanned whole, so the scan wrapped: the next sequence.
        Assert.Equal(1, numa.ScanSeq);
    }

    [Fact]
    public void A_bound_mapping_is_never_scanned()
    {
        var numa = new TaskNumaBalancing(D, 2, PageShift, start: 0);
        var bound = new Vma(0x100000, 0x100400, Protection.ReadWrite, new MemPolicy(MemPolicyMode.Bind, [0]));
        var calls = 0;
        numa.Work(1, 1024, [bound], MemPolicy.Default, 512, (_, _, _) => calls++);
        Assert.True(numa.Work(D.ScanDelayMs * 1_000_000L + TaskNumaBalancing.TickNs, 1024, [bound], MemPolicy.Default, 512, (_, _, _) => calls++));
        Assert.Equal(0, calls);
    }
}
