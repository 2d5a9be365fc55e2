using NumaSim.Model.Kernel;
using NumaSim.Model.PageAlloc;
using Xunit;

namespace NumaSim.Model.Tests.Kernel;

public sealed class ReclaimRetryTests
{
    private static int RetriesBeforeGivingUp(Gfp gfp, int order)
    {
        var failures = 0;
        while (ReclaimRetry.ShouldRetry(gfp, order, failures) && failures < 1000)
        {
            failures++;
        }
        return failures;
    }

    [Fact]
    public void Gfp_kernel_waits_in_direct_reclaim_sixteen_times_before_it_fails() =>
        Assert.Equal(ReclaimRetry.MaxReclaimRetries, RetriesBeforeGivingUp(Gfp.Kernel, 0));

    [Theory]
    [InlineData(Gfp.Atomic)]
    [InlineData(Gfp.NoWait)]
    public void Requests_that_may_not_sleep_fail_at_once(Gfp gfp) => Assert.Equal(0, RetriesBeforeGivingUp(gfp, 0));

    [Fact]
    public void Noretry_and_costly_orders_give_up_after_one_round()
    {
        Assert.Equal(1, RetriesBeforeGivingUp(Gfp.Kernel | Gfp.NoRetry, 0));
        Assert.Equal(1, RetriesBeforeGivingUp(Gfp.Kernel, ReclaimRetry.CostlyOrder + 1));
        Assert.Equal(ReclaimRetry.MaxReclaimRetries, RetriesBeforeGivingUp(Gfp.Kernel, ReclaimRetry.CostlyOrder));
        Assert.Equal(ReclaimRetry.MaxReclaimRetries, RetriesBeforeGivingUp(Gfp.Kernel | Gfp.RetryMayfail, ReclaimRetry.CostlyOrder + 1));
    }

    [Fact]
    public void Nofail_never_gives_up() => Assert.Equal(1000, RetriesBeforeGivingUp(Gfp.Kernel | Gfp.NoFail, 0));
}
