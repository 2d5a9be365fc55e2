using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.PageAlloc;
using Xunit;

namespace NumaSim.Model.Tests.Pcp;

/// <summary>
/// Invariants of one per-CPU list under random allocations, refills, frees (orders 0-3 and the THP order, with and
/// without the zone flags) and decays. Not among them: count at most high after a free. A refill may leave the list
/// above high until the next free, and under ZONE_RECLAIM_ACTIVE one free drains at most three batches, in the
/// kernel as here; the decay is what brings the list under high.
/// </summary>
public sealed class PcpHighProperties
{
    private const int ThpOrder = 9;

    private enum Op
    {
        Take,
        Free,
        FreeBelowHigh,
        FreeReclaimActive,
        Decay,
    }

    private sealed record Scenario(int Batch, int HighMin, int HighMax, (Op Op, int Order)[] Ops);

    private static Arbitrary<Scenario> Scenarios() =>
        (from batch in Gen.Elements(1, 3, 15, 31, 63)
         from highMin in Gen.Choose(batch * 4, 4000)
         from extra in Gen.Frequency((1, Gen.Constant(0)), (3, Gen.Choose(0, 8000)))
         from ops in (from op in Gen.Elements(Op.Take, Op.Take, Op.Free, Op.Free, Op.FreeBelowHigh, Op.FreeReclaimActive, Op.Decay)
                      from order in Gen.Frequency((8, Gen.Constant(0)), (2, Gen.Choose(1, 3)), (1, Gen.Constant(ThpOrder)))
                      select (op, order)).ArrayOf()
         select new Scenario(batch, highMin, highMin + extra, ops)).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property High_stays_within_its_bounds_and_no_page_is_lost_or_held_twice() =>
        Prop.ForAll(Scenarios(), s =>
        {
            var pcp = new PerCpuPages(s.Batch, s.HighMin, s.HighMax, ThpOrder);
            var onList = new HashSet<long>();
            var drained = new List<(long Pfn, int Order)>();
            long nextPfn = 0;
            var used = false;
            // decay_pcp_high may leave high above high_max, at count - (batch << PCP_BATCH_SCALE_MAX), when a list
            // holds far more than its high (a THP-order free); a later decay then takes an eighth off that, and only
            // the next free or refill clamps it again.
            var ceiling = s.HighMax;
            foreach (var (op, order) in s.Ops)
            {
                drained.Clear();
                switch (op)
                {
                    case Op.Take when pcp.TryTake(order, MigrateType.Movable, out var pfn):
                        Assert.True(onList.Remove(pfn));
                        break;
                    case Op.Take:
                        var refill = Enumerable.Range(0, pcp.RefillCount(order)).Select(_ => (nextPfn += 1 << order) - (1 << order)).ToList();
                        pcp.AddRefill(order, MigrateType.Movable, refill);
                        onList.UnionWith(refill);
                        ceiling = s.HighMax;
                        break;
                    case Op.Decay:
                        ceiling = Math.Max(s.HighMax, Math.Max(pcp.Count - (s.Batch << PerCpuPages.BatchScaleMax), pcp.High - (pcp.High >> 3)));
                        pcp.Decay(drained);
                        break;
                    default:
                        ceiling = s.HighMax;
                        onList.Add(nextPfn);
                        pcp.Free(nextPfn, order, MigrateType.Movable, drained, op == Op.FreeBelowHigh, op == Op.FreeReclaimActive);
                        nextPfn += 1 << order;
                        break;
                }
                used |= op != Op.Decay;
                foreach (var (pfn, _) in drained)
                {
                    Assert.True(onList.Remove(pfn), "a drained block was not on the list");
                }
                if (used)
                {
                    Assert.InRange(pcp.High, s.HighMin, ceiling);
                }
            }
            // What is still on the list drains whole, once.
            drained.Clear();
            pcp.DrainAll(drained);
            Assert.Equal(onList.Order(), drained.Select(d => d.Pfn).Order());
            Assert.Equal(0, pcp.Count);
        });

    [Property(MaxTest = 200)]
    public Property Decay_alone_brings_high_to_high_min_and_the_list_under_it() =>
        Prop.ForAll(Scenarios(), s =>
        {
            var pcp = new PerCpuPages(s.Batch, s.HighMin, s.HighMax, ThpOrder);
            long pfn = 0;
            foreach (var (op, order) in s.Ops)
            {
                if (op == Op.Take && !pcp.TryTake(order, MigrateType.Movable, out _))
                {
                    pcp.AddRefill(order, MigrateType.Movable, [.. Enumerable.Range(0, pcp.RefillCount(order)).Select(_ => pfn += 1 << order)]);
                }
                else if (op != Op.Take)
                {
                    pcp.Free(pfn += 1 << order, order, MigrateType.Movable, []);
                }
            }
            // An eighth a second: from high_max to high_min within about a minute whatever the sizes. Under 8 an eighth
            // rounds to nothing, so a high_min under 7 (a tiny zone, batch 1) leaves high at 7, and decay_pcp_high keeps
            // reporting work there for ever, in the kernel as here.
            var seconds = 0;
            while (pcp.Decay([]) && pcp.High >= 8)
            {
                seconds++;
                Assert.True(seconds < 80, "decay did not converge");
            }
            Assert.True(pcp.High == s.HighMin || pcp.High == 0 || (pcp.High > s.HighMin && pcp.High < 8));
            Assert.True(pcp.Count <= pcp.High);
        });
}
