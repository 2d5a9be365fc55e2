using NumaSim.Model.PageAlloc;
using Xunit;

namespace NumaSim.Model.Tests.Pcp;

/// <summary>zone_set_pageset_high_and_batch: the bounds the per-CPU lists' high is tuned between.</summary>
public sealed class PcpSetupTests
{
    // A 4 GiB Normal zone with a low watermark of 7842 pages, 2 CPUs on its node, 4 online.
    private const long Managed = 1 << 20;
    private const long Low = 7842;

    [Fact]
    public void By_default_high_min_comes_from_the_low_watermark_and_high_max_from_an_eighth_of_the_zone() =>
        Assert.Equal(((int)(Low / 2), (int)(Managed / 8 / 2)), PcpSetup.HighBounds(Managed, Low, 63, 2, 4, 0));

    [Fact]
    public void A_high_fraction_fixes_high_and_turns_the_tuning_off()
    {
        // percpu_pagelist_high_fraction = 100: managed / 100 split over the node's 2 CPUs, for both bounds.
        Assert.Equal((5242, 5242), PcpSetup.HighBounds(Managed, Low, 63, 2, 4, 100));
    }

    [Fact]
    public void A_node_without_cpus_splits_high_over_every_online_cpu_and_keeps_four_batches() =>
        Assert.Equal((63 * 4, (int)(Managed / 8 / 4)), PcpSetup.HighBounds(Managed, 100, 63, 0, 4, 0));
}
