using NumaSim.Model.PageAlloc;
using NumaSim.Model.Tests.Support;
using NumaSim.Model.Topology;
using Xunit;

namespace NumaSim.Model.Tests.Pcp;

/// <summary>
/// How high moves over a list's life (6.7+): 0 until first used, grown by refills (alloc-heavy) or by a free run
/// that outgrows it (free-heavy), and brought back to high_min by vmstat's once-a-second decay_pcp_high.
/// </summary>
public sealed class PcpDecayTests
{
    private const int ThpOrder = 9;

    private static void Refill(PerCpuPages pcp)
    {
        while (pcp.TryTake(0, MigrateType.Movable, out _))
        {
        }
        var count = pcp.RefillCount(0);
        pcp.AddRefill(0, MigrateType.Movable, [.. Enumerable.Range(0, count).Select(i => (long)i)]);
    }

    [Fact]
    public void A_list_never_used_shows_high_0_as_boot_pagesets_do_and_takes_high_min_when_first_used()
    {
        var pcp = new PerCpuPages(31, 3874, 7796, ThpOrder);
        Assert.Equal(0, pcp.High);
        pcp.Free(1, 0, MigrateType.Movable, []);
        Assert.Equal(3874, pcp.High);
    }

    [Fact]
    public void A_free_heavy_list_raises_high_to_hold_the_batch_it_frees_up_to_high_max()
    {
        // A small zone: high_min is 4 batches (124), high_max 400. Consecutive frees grow free_count up to
        // batch << 5 (992); each time the list reaches high, high becomes free_count + batch, capped at high_max.
        var pcp = new PerCpuPages(31, 124, 400, ThpOrder);
        var drained = new List<(long Pfn, int Order)>();
        var highs = new List<int>();
        for (var i = 0; i < 2000; i++)
        {
            pcp.Free(i, 0, MigrateType.Movable, drained);
            highs.Add(pcp.High);
        }
        Assert.Equal(124, highs[0]);
        Assert.Equal(400, highs[^1]);
        Assert.True(highs.Zip(highs.Skip(1)).All(p => p.Second >= p.First), "high never falls while the CPU only frees");
        Assert.True(pcp.Count <= 400);
        Assert.Equal(2000, drained.Count + pcp.Count);

        var big = new PerCpuPages(31, 124, 7796, ThpOrder);
        for (var i = 0; i < 2000; i++)
        {
            big.Free(i, 0, MigrateType.Movable, []);
        }
        // free_count stops at 992: high settles at 992 + 31.
        Assert.Equal(1023, big.High);
    }

    [Fact]
    public void Decay_takes_an_eighth_off_high_each_second_down_to_high_min()
    {
        var pcp = new PerCpuPages(31, 3874, 7796, ThpOrder);
        for (var i = 0; i < 8; i++)
        {
            Refill(pcp);
        }
        Assert.Equal(7796, pcp.High);
        var highs = new List<int>();
        var more = new List<bool>();
        for (var second = 0; second < 7; second++)
        {
            more.Add(pcp.Decay([]));
            highs.Add(pcp.High);
        }
        // 7796 - 974, 6822 - 852, 5970 - 746, 5224 - 653, 4571 - 571, 4000 - 500 -> high_min; then nothing to do.
        Assert.Equal([6822, 5970, 5224, 4571, 4000, 3874, 3874], highs);
        Assert.Equal([true, true, true, true, true, false, false], more);
    }

    [Fact]
    public void Decay_gives_back_what_the_list_holds_above_the_new_high()
    {
        var pcp = new PerCpuPages(31, 3874, 7796, ThpOrder);
        for (var i = 0; i < 8; i++)
        {
            Refill(pcp);
        }
        for (var pfn = 10_000L; pcp.Count < 7000; pfn++)
        {
            pcp.Free(pfn, 0, MigrateType.Movable, []);
        }
        var drained = new List<(long Pfn, int Order)>();
        Assert.True(pcp.Decay(drained));
        Assert.Equal(6822, pcp.High);
        Assert.Equal(7000 - 6822, drained.Count);
        Assert.Equal(6822, pcp.Count);
    }

    [Fact]
    public void After_a_thp_free_decay_leaves_high_above_high_max_and_the_next_decay_takes_an_eighth_off_that()
    {
        // decay_pcp_high's max3(count - (batch << 5), high - high / 8, high_min) does not clamp to high_max: a list
        // holding a THP-order block keeps a high above high_max for several seconds, until a free or refill clamps it.
        var pcp = new PerCpuPages(3, 642, 761, ThpOrder);
        Assert.Equal(2, pcp.RefillCount(ThpOrder));
        pcp.AddRefill(ThpOrder, MigrateType.Movable, [0, 512]);
        Assert.Equal(1024, pcp.Count);

        // high = 1024 - 96; the 96 pages over it drain one whole THP block.
        pcp.Decay([]);
        Assert.Equal(928, pcp.High);
        Assert.Equal(512, pcp.Count);
        pcp.Decay([]);
        Assert.Equal(928 - (928 >> 3), pcp.High);
        Assert.True(pcp.High > pcp.HighMax);

        pcp.Free(2000, 0, MigrateType.Movable, []);
        Assert.InRange(pcp.High, pcp.HighMin, pcp.HighMax);
    }

    [Fact]
    public void Decay_through_the_machine_returns_the_pages_to_the_zone()
    {
        var machine = new PageAllocatorMachine(Machines.TwoNodeNormal(65536));
        var zone = ZoneIndex.Of(0, ZoneType.Normal);
        var request = new AllocationRequest(0, Gfp.HighUserMovable, MemPolicy.Default);
        var held = new List<long>();
        for (var i = 0; i < 4000; i++)
        {
            held.Add(machine.Allocate(0, request).Pfn);
        }
        foreach (var pfn in held)
        {
            machine.Free(0, zone, pfn, 0, MigrateType.Movable);
        }
        var pcp = machine.Cpu(0).Pcp(zone);
        Assert.True(pcp.High > pcp.HighMin);
        var freeBefore = machine.Zone(zone).Buddy.FreePages;
        var countBefore = pcp.Count;

        var seconds = 0;
        while (machine.DecayPcpHigh())
        {
            seconds++;
        }

        Assert.InRange(seconds, 1, 40);
        Assert.Equal(pcp.HighMin, pcp.High);
        Assert.True(pcp.Count <= pcp.HighMin);
        Assert.Equal(freeBefore + countBefore - pcp.Count, machine.Zone(zone).Buddy.FreePages);
    }
}
