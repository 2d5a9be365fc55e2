using NumaSim.Model.Mmu;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Topology;
using NumaSim.Model.Vmalloc;
using Xunit;

namespace NumaSim.Model.Tests.Vmalloc;

/// <summary>Placement, mapping, vfree and the meminfo counters of the vmalloc area.</summary>
public sealed class VmallocAreaTests
{
    private const ulong Start = 0xffffc90000000000;
    private const ulong Page = 4096;

    private readonly VmallocHarness _h = new();

    private VmallocArea Area => _h.Area;

    [Fact]
    public void X86_64_ranges_are_the_kernels_and_arm64_has_none_built_in()
    {
        Assert.Equal((0xffffc90000000000UL, 0xffffe8ffffffffffUL), (VmallocRange.X86_64_4Level.Start, VmallocRange.X86_64_4Level.End));
        Assert.Equal((0xffa0000000000000UL, 0xffd1ffffffffffffUL), (VmallocRange.X86_64_5Level.Start, VmallocRange.X86_64_5Level.End));
        Assert.Same(VmallocRange.X86_64_4Level, VmallocRange.For(Architecture.X86_64));
        Assert.Same(VmallocRange.X86_64_5Level, VmallocRange.For(Architecture.X86_64 with { FiveLevelPaging = true }));
        Assert.Throws<NotSupportedException>(() => VmallocRange.For(Architecture.ForPageSize("arm64", 4096)));
    }

    [Fact]
    public void Areas_go_lowest_address_first_each_followed_by_its_guard_page()
    {
        var a = Area.Reserve(1, "a+0x0/0x10")!;
        var b = Area.Reserve(8192, "b+0x0/0x10")!;
        var c = Area.Reserve(3 * 4096 - 100, "c+0x0/0x10")!;

        Assert.Equal((Start, 2 * (long)Page, 1), (a.Address, a.Size, a.NrPages));
        Assert.Equal((Start + 2 * Page, 3 * (long)Page, 2), (b.Address, b.Size, b.NrPages));
        Assert.Equal((Start + 5 * Page, 4 * (long)Page, 3), (c.Address, c.Size, c.NrPages));
        Assert.Equal(Start + 9 * Page, c.End);
        Assert.Equal([a, b, c], Area.Areas);
    }

    [Fact]
    public void A_freed_hole_is_reused_by_the_first_request_that_fits_and_skipped_by_one_that_does_not()
    {
        var a = _h.Vmalloc(2 * 4096);   // [Start, +3 pages) with its guard
        var b = _h.Vmalloc(4096);       // [+3, +5)
        Assert.Equal(VfreeStatus.Freed, Area.Release(a.Address).Status);

        var big = Area.Reserve(3 * 4096, "big")!;     // 4 pages with the guard: not in the 3-page hole
        var small = Area.Reserve(4096, "small")!;     // 2 pages: the hole's start
        var tail = Area.Reserve(4096, "tail")!;       // the hole's last page is too small for 2

        Assert.Equal(b.End, big.Address);
        Assert.Equal(Start, small.Address);
        Assert.Equal(big.End, tail.Address);
    }

    [Fact]
    public void Reserve_fails_when_the_range_is_exhausted_and_succeeds_again_after_a_vfree()
    {
        // 8 pages from VMALLOC_START to VMALLOC_END, the last of them unusable (VMALLOC_END is the last byte).
        var h = new VmallocHarness(new VmallocRange(Start, Start + 8 * Page - 1));
        var first = h.Area.Reserve(3 * 4096, "first")!;   // 4 pages
        var second = h.Area.Reserve(2 * 4096, "second")!; // 3 pages: 7 used, 1 page left short of a byte
        Assert.Equal(Start + 4 * Page, second.Address);

        Assert.Null(h.Area.Reserve(1, "third"));
        Assert.Equal("vmap allocation for size 8192 failed: use vmalloc=<size> to increase size", VmallocWarnings.VmapAllocationFailed(2 * 4096));
        Assert.Equal("vmalloc error: size 1, vm_struct allocation failed", VmallocWarnings.VmStructAllocationFailed(1));

        h.Area.Release(first.Address);
        Assert.Equal(Start, h.Area.Reserve(3 * 4096, "again")!.Address);
    }

    [Fact]
    public void Map_points_each_kernel_pte_at_the_given_page_on_its_node_and_leaves_the_guard_page_unmapped()
    {
        var area = Area.Reserve(3 * 4096, "numasim_vmalloc+0x1c/0x40")!;
        long[] pfns = [0x5001, 0x3000, 0x7777];
        Assert.Equal(3, Area.TablesNeeded(area)); // PUD, PMD and PTE pages under an empty PGD

        var result = Area.Map(area, pfns, pfn => pfn == 0x3000 ? 1 : 0, _h.Tables(3));

        Assert.Equal(3, result.TablesUsed);
        Assert.Empty(result.UnusedTables);
        Assert.Equal(4, Area.PageTable.TablePages);
        for (var i = 0; i < 3; i++)
        {
            var pte = _h.Walk(area.Address + (ulong)i * Page);
            Assert.NotNull(pte);
            Assert.Equal(pfns[i], pte.Value.Pfn);
            Assert.Equal(pfns[i] == 0x3000 ? 1 : 0, pte.Value.Node);
            Assert.True(pte.Value.Writable);
            Assert.Equal(PteFlags.None, pte.Value.Flags & PteFlags.User);
        }
        Assert.Null(_h.Walk(area.End - Page));
        Assert.True(area.Populated);
        Assert.Equal(pfns, area.Pfns);
        Assert.Equal([0, 1, 0], area.Nodes);
    }

    [Fact]
    public void Tables_are_counted_once_per_missing_table_and_surplus_ones_come_back()
    {
        // 513 pages from a 2 MiB boundary span two PTE tables under one PMD, PUD and PGD entry.
        var area = Area.Reserve(513 * 4096, "wide")!;
        Assert.Equal(4, Area.TablesNeeded(area));
        var reserved = Area.Reserve(4096, "next")!; // in the second PTE table, which wide's mapping will build
        Assert.Equal(4, Area.TablesNeeded(area));
        var forNext = _h.Tables(Area.TablesNeeded(reserved));
        Assert.Equal(3, forNext.Count); // PUD, PMD and PTE: nothing built yet

        Area.Map(area, _h.Pages(513), VmallocHarness.NodeOf, _h.Tables(4));
        Assert.Equal(0, Area.TablesNeeded(reserved));
        var result = Area.Map(reserved, _h.Pages(1), VmallocHarness.NodeOf, forNext);

        Assert.Equal(0, result.TablesUsed);
        Assert.Equal(forNext, result.UnusedTables);
        Assert.Equal(5, Area.PageTable.TablePages);
    }

    [Fact]
    public void Map_with_too_few_tables_or_the_wrong_page_count_changes_nothing()
    {
        var area = Area.Reserve(2 * 4096, "x")!;
        Assert.Throws<ArgumentException>(() => Area.Map(area, _h.Pages(2), VmallocHarness.NodeOf, _h.Tables(2)));
        Assert.Throws<ArgumentException>(() => Area.Map(area, _h.Pages(3), VmallocHarness.NodeOf, _h.Tables(3)));
        Assert.Throws<ArgumentException>(() => Area.Map(area, _h.Pages(2), _ => -1, _h.Tables(3)));

        Assert.False(area.Populated);
        Assert.Equal(1, Area.PageTable.TablePages);
        Assert.Equal(0, Area.NrPages);
        Area.Map(area, _h.Pages(2), VmallocHarness.NodeOf, _h.Tables(3));
        Assert.Throws<InvalidOperationException>(() => Area.Map(area, _h.Pages(2), VmallocHarness.NodeOf, []));
    }

    [Fact]
    public void Vfree_returns_exactly_the_mapped_pages_and_their_virtual_pages_and_unmaps_them()
    {
        var before = _h.Vmalloc(4096);
        var area = Area.Reserve(3 * 4096, "victim")!;
        long[] pfns = [0x9000, 0x9003, 0x8001];
        Area.Map(area, pfns, VmallocHarness.NodeOf, _h.Tables(Area.TablesNeeded(area)));
        var after = _h.Vmalloc(4096);

        var result = Area.Release(area.Address);

        Assert.Equal(VfreeStatus.Freed, result.Status);
        Assert.Same(area, result.Area);
        Assert.Null(result.Warning);
        Assert.Equal([(0x9000L, 0), (0x9003L, 1), (0x8001L, 1)], result.Pages);
        var firstVpn = (long)((Start + 2 * Page) >> 12) & ((1L << 36) - 1);
        Assert.Equal([firstVpn, firstVpn + 1, firstVpn + 2], result.FlushVpns);
        Assert.Equal(area.FirstVpn, firstVpn);
        for (var i = 0UL; i < 4; i++)
        {
            Assert.Null(_h.Walk(area.Address + i * Page));
        }
        Assert.NotNull(_h.Walk(before.Address));
        Assert.NotNull(_h.Walk(after.Address));
        Assert.Equal([before, after], Area.Areas);
        Assert.Equal(Start + 2 * Page, Area.Reserve(3 * 4096, "reuse")!.Address);
    }

    [Fact]
    public void Vfree_of_any_page_of_an_area_frees_the_whole_area_as_find_unlink_vmap_area_does()
    {
        var area = _h.Vmalloc(4 * 4096);
        var result = Area.Release(area.Address + 2 * Page);
        Assert.Equal(VfreeStatus.Freed, result.Status);
        Assert.Equal(4, result.Pages.Count);
        Assert.Empty(Area.Areas);
    }

    [Fact]
    public void Vfree_of_an_unpopulated_area_frees_the_range_with_no_pages_to_return()
    {
        var area = Area.Reserve(5 * 4096, "failed")!;
        var result = Area.Release(area.Address);
        Assert.Equal(VfreeStatus.Freed, result.Status);
        Assert.Empty(result.Pages);
        Assert.Empty(result.FlushVpns);
        Assert.Equal(Start, Area.Reserve(4096, "x")!.Address);
    }

    [Fact]
    public void Vfree_of_an_unknown_address_warns_as_the_kernel_and_frees_nothing()
    {
        var area = _h.Vmalloc(4096);

        var unknown = Area.Release(area.End);
        Assert.Equal(VfreeStatus.Nonexistent, unknown.Status);
        Assert.Equal("Trying to vfree() nonexistent vm area (ffffc90000002000)", unknown.Warning);
        Assert.Empty(unknown.Pages);
        Assert.Empty(unknown.FlushVpns);

        var bad = Area.Release(area.Address + 8);
        Assert.Equal(VfreeStatus.BadAddress, bad.Status);
        Assert.Equal("Trying to vfree() bad address (ffffc90000000008)", bad.Warning);

        var none = Area.Release(0);
        Assert.Equal(VfreeStatus.Null, none.Status);
        Assert.Null(none.Warning);

        Assert.Equal([area], Area.Areas);
        Assert.NotNull(_h.Walk(area.Address));
        Assert.Equal(VfreeStatus.Freed, Area.Release(area.Address).Status);
        Assert.Equal(VfreeStatus.Nonexistent, Area.Release(area.Address).Status); // a double vfree
    }

    [Fact]
    public void VmallocUsed_counts_populated_pages_in_kB_and_total_and_chunk_are_the_kernels()
    {
        _h.Vmalloc(3 * 4096);
        var five = _h.Vmalloc(5 * 4096 - 1);
        Area.Reserve(100 * 4096, "reserved only");
        Assert.Equal(8, Area.NrPages);
        Assert.Equal(32, Area.VmallocUsedKb);

        Area.Release(five.Address);
        Assert.Equal(12, Area.VmallocUsedKb);
        Assert.Equal(34359738367, Area.VmallocTotalKb);
        Assert.Equal(0, Area.VmallocChunkKb);
        Assert.Equal(13743895347199, new VmallocHarness(VmallocRange.X86_64_5Level, PagingMode.X86_64_5Level).Area.VmallocTotalKb);
    }

    [Fact]
    public void VmallocUsed_scales_with_the_page_size()
    {
        var h = new VmallocHarness(new VmallocRange(0xffff800080000000, 0xfffffbffefffffff), PagingMode.Arm64_64K);
        h.Vmalloc(3 * 65536);
        Assert.Equal(192, h.Area.VmallocUsedKb);
        Assert.Equal(3 * 65536 + 65536, h.Area.Areas[0].Size);
    }

    [Fact]
    public void Five_level_areas_map_through_five_levels_of_tables()
    {
        var h = new VmallocHarness(VmallocRange.X86_64_5Level, PagingMode.X86_64_5Level);
        var area = h.Area.Reserve(4096, "x")!;
        Assert.Equal(4, h.Area.TablesNeeded(area));
        h.Area.Map(area, [0x42], _ => 1, h.Tables(4));
        Assert.Equal(new Pte(0x42, 1, PteFlags.Present | PteFlags.Read | PteFlags.Write | PteFlags.Accessed | PteFlags.Dirty), h.Walk(0xffa0000000000000));
    }

    [Fact]
    public void Snapshot_lists_every_area_in_address_order_with_its_pages_per_node()
    {
        var h = new VmallocHarness(possibleCpus: 300);
        var a = h.Vmalloc(3 * 4096, "a+0x1/0x2");
        h.Area.Reserve(4096, "pending");

        var s = h.Area.Snapshot();

        Assert.Equal(128, s.VmapNodes);
        Assert.Equal(3, s.NrPages);
        Assert.Equal(12, s.VmallocUsedKb);
        Assert.Equal(34359738367, s.VmallocTotalKb);
        Assert.Equal(2, s.Areas.Count);
        var first = s.Areas[0];
        Assert.Equal((a.Address, 4 * 4096L, "a+0x1/0x2", 3, true), (first.Address, first.Size, first.Caller, first.NrPages, first.Populated));
        Assert.Equal([2, 1], first.NodePages); // pfns 0x1000, 0x1001, 0x1002 on nodes 0, 1, 0
        Assert.Equal((a.End, false, 0), (s.Areas[1].Address, s.Areas[1].Populated, s.Areas[1].NodePages.Count));
    }
}
