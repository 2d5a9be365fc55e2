using NumaSim.Model.Kernel;
using NumaSim.Model.PageAlloc;
using Xunit;

namespace NumaSim.Model.Tests.Kernel;

public sealed class KernelMessagesTests
{
    [Theory]
    [InlineData(Gfp.Atomic, 0, "swapper/2: page allocation failure: order:0, mode:0x820(GFP_ATOMIC), nodemask=(null),cpuset=/,mems_allowed=0")]
    [InlineData(Gfp.Kernel, 1, "swapper/2: page allocation failure: order:1, mode:0xcc0(GFP_KERNEL), nodemask=(null),cpuset=/,mems_allowed=0")]
    [InlineData(Gfp.Kernel | Gfp.Comp | Gfp.NoWarn | Gfp.NoRetry, 3, "swapper/2: page allocation failure: order:3, mode:0x52cc0(GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0")]
    public void Page_allocation_failure_reads_as_warn_alloc_prints_it(Gfp gfp, int order, string expected) =>
        Assert.Equal(expected, KernelMessages.PageAllocationFailure("swapper/2", order, gfp, "0"));

    [Fact]
    public void A_sleeping_allocation_in_a_hard_interrupt_is_reported_with_its_preempt_count()
    {
        var lines = KernelMessages.SleepingInAtomic("swapper/3", 0, CpuContext.Hardirq);
        Assert.Equal("BUG: sleeping function called from invalid context at include/linux/sched/mm.h:321", lines[0]);
        Assert.Equal("in_atomic(): 1, irqs_disabled(): 1, non_block: 0, pid: 0, name: swapper/3", lines[1]);
        Assert.Equal("preempt_count: 10000, expected: 0", lines[2]);
    }

    [Theory]
    [InlineData(CpuContext.Process, false, 0)]
    [InlineData(CpuContext.Softirq, true, 0x100)]
    [InlineData(CpuContext.Tasklet, true, 0x100)]
    [InlineData(CpuContext.Hardirq, true, 0x10000)]
    public void Contexts_other_than_a_task_are_atomic(CpuContext context, bool atomic, int preemptCount)
    {
        Assert.Equal(atomic, context.IsAtomic());
        Assert.Equal(preemptCount, context.PreemptCount());
        Assert.True(CpuContexts.TryParse(context.Name(), out var parsed));
        Assert.Equal(context, parsed);
    }
}

public sealed class RateLimitTests
{
    [Fact]
    public void Warn_alloc_prints_ten_messages_per_five_seconds_and_counts_the_rest()
    {
        var limit = RateLimit.WarnAlloc();
        var printed = Enumerable.Range(0, 25).Count(i => limit.Allow(i * 100_000_000L));
        Assert.Equal(10, printed);
        Assert.Equal(15, limit.Suppressed);
        Assert.True(limit.Allow(5_000_000_000));
    }

    [Fact]
    public void Might_sleep_prints_once_a_second()
    {
        var limit = RateLimit.MightSleep();
        Assert.True(limit.Allow(0));
        Assert.False(limit.Allow(999_999_999));
        Assert.True(limit.Allow(1_000_000_000));
    }
}
