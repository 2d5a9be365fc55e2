using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NumaSim.Model.Vmalloc;
using Xunit;

namespace NumaSim.Model.Tests.Vmalloc;

/// <summary>
/// Random vmalloc/vfree sequences on a small vmalloc range, checked against a page-by-page model of the range:
/// lowest-address first fit, no overlap, page alignment, guard pages never mapped, and the whole range usable again
/// once everything is freed.
/// </summary>
public sealed class VmallocAreaProperties
{
    private const ulong Start = 0xffffc90000000000;
    private const int Page = 4096;

    public sealed record Op(bool Reserve, int Pages, bool Populate, int BytesShort, int Pick, int Offset);

    public sealed record Scenario(int RangePages, Op[] Ops, int Seed);

    private static Arbitrary<Scenario> Scenarios() =>
        (from rangePages in Gen.Choose(8, 160)
         from count in Gen.Choose(0, 120)
         from ops in Gen.Frequency(
                 (3, from pages in Gen.Choose(1, 12)
                     from populate in Gen.Elements(true, true, true, false)
                     from bytesShort in Gen.Choose(0, Page - 1)
                     select new Op(true, pages, populate, bytesShort, 0, 0)),
                 (2, from pick in Gen.Choose(0, 1 << 20)
                     from offset in Gen.Choose(0, 1 << 20)
                     select new Op(false, 0, false, 0, pick, offset))).ArrayOf(count)
         from seed in Gen.Choose(0, int.MaxValue)
         select new Scenario(rangePages, ops, seed)).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property Reserve_and_vfree_keep_areas_first_fit_disjoint_aligned_and_guarded_and_all_space_comes_back() =>
        Prop.ForAll(Scenarios(), s =>
        {
            // VMALLOC_END is the range's last byte, so RangePages - 1 whole pages are usable.
            var usable = s.RangePages - 1;
            var h = new VmallocHarness(new VmallocRange(Start, Start + (ulong)s.RangePages * Page - 1));
            var owner = Enumerable.Repeat(-1, usable).ToArray(); // page index -> id of the area holding it
            var live = new Dictionary<int, (VmArea Area, long[] Pfns)>();
            var nextId = 0;

            foreach (var op in s.Ops)
            {
                if (op.Reserve)
                {
                    var expected = LowestFit(owner, op.Pages + 1);
                    var area = h.Area.Reserve((long)op.Pages * Page - op.BytesShort, "prop+0x0/0x1");
                    if (expected < 0)
                    {
                        Assert.Null(area);
                        continue;
                    }
                    Assert.NotNull(area);
                    Assert.Equal(Start + (ulong)expected * Page, area.Address);
                    Assert.Equal(op.Pages, area.NrPages);
                    var id = nextId++;
                    Array.Fill(owner, id, expected, op.Pages + 1);
                    long[] pfns = [];
                    if (op.Populate)
                    {
                        pfns = h.Pages(op.Pages);
                        h.Area.Map(area, pfns, VmallocHarness.NodeOf, h.Tables(h.Area.TablesNeeded(area)));
                    }
                    live.Add(id, (area, pfns));
                }
                else
                {
                    // Half the time any page of the range (or just past it), else a page of a live area.
                    var page = live.Count == 0 || op.Pick % 2 == 0
                        ? op.Offset % (s.RangePages + 2)
                        : (int)((live.Values.ElementAt(op.Pick % live.Count).Area.Address - Start) / Page) + op.Offset % 3;
                    var holder = page < usable ? owner[page] : -1;
                    var result = h.Area.Release(Start + (ulong)page * Page);
                    if (holder < 0)
                    {
                        Assert.Equal(VfreeStatus.Nonexistent, result.Status);
                        Assert.Empty(result.Pages);
                        continue;
                    }
                    var (area, pfns) = live[holder];
                    live.Remove(holder);
                    Array.Fill(owner, -1, (int)((area.Address - Start) / Page), area.NrPages + 1);
                    AssertFreed(area, pfns, result);
                }
                AssertConsistent(h, owner, live);
            }

            var random = new Random(s.Seed);
            foreach (var (area, pfns) in live.Values.OrderBy(_ => random.Next()).ToList())
            {
                AssertFreed(area, pfns, h.Area.Release(area.Address));
            }
            Assert.Empty(h.Area.Areas);
            Assert.Equal(0, h.Area.NrPages);
            Assert.Equal(0, h.Area.VmallocUsedKb);
            for (var page = 0; page < usable; page++)
            {
                Assert.Null(h.Walk(Start + (ulong)page * Page));
            }
            Assert.Null(h.Area.Reserve((long)usable * Page, "one page too many"));
            var whole = h.Area.Reserve((long)(usable - 1) * Page, "everything");
            Assert.NotNull(whole);
            Assert.Equal(Start, whole.Address);
        });

    /// <summary>The first page index where pages free pages in a row start, or -1.</summary>
    private static int LowestFit(int[] owner, int pages)
    {
        var run = 0;
        for (var i = 0; i < owner.Length; i++)
        {
            run = owner[i] < 0 ? run + 1 : 0;
            if (run == pages)
            {
                return i - pages + 1;
            }
        }
        return -1;
    }

    private static void AssertFreed(VmArea area, long[] pfns, VfreeResult result)
    {
        Assert.Equal(VfreeStatus.Freed, result.Status);
        Assert.Same(area, result.Area);
        Assert.Equal(pfns, result.Pages.Select(p => p.Pfn));
        Assert.Equal(pfns.Select(VmallocHarness.NodeOf), result.Pages.Select(p => p.Node));
        Assert.Equal(Enumerable.Range(0, pfns.Length).Select(i => area.FirstVpn + i), result.FlushVpns);
    }

    private static void AssertConsistent(VmallocHarness h, int[] owner, Dictionary<int, (VmArea Area, long[] Pfns)> live)
    {
        var areas = h.Area.Areas;
        Assert.Equal(live.Count, areas.Count);
        for (var i = 0; i < areas.Count; i++)
        {
            var area = areas[i];
            Assert.Equal(0UL, area.Address % Page);
            Assert.Equal((area.NrPages + 1L) * Page, area.Size);
            Assert.True(area.End <= h.Area.Range.End, $"{area} runs past VMALLOC_END");
            if (i > 0)
            {
                Assert.True(areas[i - 1].End <= area.Address, $"{areas[i - 1]} overlaps {area}");
            }
            var id = owner[(area.Address - Start) / Page];
            Assert.Same(live[id].Area, area);
            var pfns = live[id].Pfns;
            for (var p = 0; p < pfns.Length; p++)
            {
                Assert.Equal(pfns[p], h.Walk(area.Address + (ulong)p * Page)?.Pfn);
            }
            Assert.Null(h.Walk(area.End - Page)); // the guard page
        }
        Assert.Equal(live.Values.Sum(a => (long)a.Pfns.Length), h.Area.NrPages);
    }
}
