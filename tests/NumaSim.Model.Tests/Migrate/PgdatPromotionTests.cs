using NumaSim.Model.Sched;
using Xunit;

namespace NumaSim.Model.Tests.Migrate;

/// <summary>
/// numa_promotion_adjust_threshold and numa_promotion_rate_limit by hand: 4 KiB pages, so 1 MB/s is 256 pages a
/// second, and the default 65536 MB/s is 16,777,216. The memory tiering mode is turned on at 0 ms.
/// </summary>
public sealed class PgdatPromotionTests
{
    private const int PageShift = 12;
    private const int PeriodMs = 60000;

    [Fact]
    public void The_threshold_is_the_sysctls_for_a_scan_period_max_after_the_mode_was_turned_on()
    {
        var pgdat = new PgdatPromotion(0);

        Assert.Equal(PromotionVerdict.Candidate, pgdat.Judge(0, 999, false, 1, NumaPromotionSysctls.Default, PeriodMs, PageShift));
        Assert.Equal(PromotionVerdict.Cold, pgdat.Judge(PeriodMs, 1000, false, 1, NumaPromotionSysctls.Default, PeriodMs, PageShift));
        Assert.Equal(0, pgdat.Threshold);
        // Cold faults are no candidates.
        Assert.Equal(1, pgdat.Candidates);
    }

    [Fact]
    public void Fewer_candidates_than_nine_tenths_of_the_rate_limit_raise_it_by_an_eighth_once_a_period_up_to_twice_the_sysctl()
    {
        var pgdat = new PgdatPromotion(0);
        var sysctls = NumaPromotionSysctls.Default;

        // ref_cand = 16,777,216 x 60 s; 1 candidate is fewer than 9 tenths of it: 1000 + 2 x 1000 / 16 = 1125 ms.
        pgdat.Judge(0, 0, false, 1, sysctls, PeriodMs, PageShift);
        pgdat.Judge(PeriodMs + 1, 1124, false, 1, sysctls, PeriodMs, PageShift);
        Assert.Equal(1125, pgdat.Threshold);
        Assert.Equal(PromotionVerdict.Cold, pgdat.Judge(PeriodMs + 2, 1125, false, 1, sysctls, PeriodMs, PageShift));
        // Each period after that: 1250, 1375, ..., and no further than 2000.
        for (var period = 2; period <= 10; period++)
        {
            pgdat.Judge(period * (PeriodMs + 1), 0, false, 1, sysctls, PeriodMs, PageShift);
        }
        Assert.Equal(2000, pgdat.Threshold);
    }

    [Fact]
    public void More_candidates_than_eleven_tenths_of_the_rate_limit_lower_it()
    {
        var pgdat = new PgdatPromotion(0);
        // 1 MB/s over a period of 1 s: ref_cand = 256 x 1000 / 1000 = 256; more than 281 (11 tenths) lowers it.
        var sysctls = new NumaPromotionSysctls(1000, 1);
        const int period = 1000;

        // 282 candidates within the first period (most of them rate-limited: they count all the same).
        for (var i = 0; i < 282; i++)
        {
            pgdat.Judge(i, 0, false, 1, sysctls, period, PageShift);
        }
        Assert.Equal(282, pgdat.Candidates);
        pgdat.Judge(1001, 0, false, 1, sysctls, period, PageShift);
        Assert.Equal(875, pgdat.Threshold);
        // 1 candidate since (the one at 1001, counted after its adjustment): fewer than 230, up again.
        pgdat.Judge(2002, 0, false, 1, sysctls, period, PageShift);
        Assert.Equal(1000, pgdat.Threshold);
    }

    [Fact]
    public void A_second_admits_the_rate_limits_worth_of_candidates_and_a_new_one_as_many_again()
    {
        var pgdat = new PgdatPromotion(0);
        var sysctls = new NumaPromotionSysctls(1000, 1);

        // The window opens at the first candidate, counting it: 256 pass (0..255 after the opener), the 257th is limited.
        var verdicts = Enumerable.Range(0, 300).Select(i => pgdat.Judge(i, 0, false, 1, sysctls, PeriodMs, PageShift)).ToList();
        Assert.Equal(256, verdicts.Count(v => v == PromotionVerdict.Candidate));
        Assert.All(verdicts.Skip(256), v => Assert.Equal(PromotionVerdict.RateLimited, v));
        Assert.Equal(300, pgdat.Candidates);
        // Still within the second (1000 ms after the window opened is not more than a second), then past it.
        Assert.Equal(PromotionVerdict.RateLimited, pgdat.Judge(1000, 0, false, 1, sysctls, PeriodMs, PageShift));
        Assert.Equal(PromotionVerdict.Candidate, pgdat.Judge(1001, 0, false, 1, sysctls, PeriodMs, PageShift));
    }

    [Fact]
    public void A_node_with_room_to_spare_promotes_without_the_hot_check_and_resets_the_threshold()
    {
        var pgdat = new PgdatPromotion(0);
        pgdat.Judge(PeriodMs + 1, 0, false, 1, NumaPromotionSysctls.Default, PeriodMs, PageShift);
        Assert.Equal(1125, pgdat.Threshold);

        Assert.Equal(PromotionVerdict.FreeSpace, pgdat.Judge(PeriodMs + 5, long.MaxValue, true, 1, NumaPromotionSysctls.Default, PeriodMs, PageShift));
        Assert.Equal(0, pgdat.Threshold);
        Assert.Equal(1, pgdat.Candidates);
    }
}
