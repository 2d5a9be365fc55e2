using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using Xunit;

namespace NumaSim.Model.Tests.Mmu;

/// <summary>Mappings, faults, protection changes and unmapping of one task's address space.</summary>
public sealed class AddressSpaceTests
{
    private const PteFlags ReadWrite = PteFlags.Present | PteFlags.Read | PteFlags.Write | PteFlags.User;
    private const PteFlags ReadOnly = PteFlags.Present | PteFlags.Read | PteFlags.User;

    private readonly AddressSpace _space = new(1, PagingMode.X86_64_4Level, rootPfn: 1, rootNode: 0);
    private long _nextTablePfn = 100;

    /// <summary>What a demand fault does: allocate the missing tables, install the page.</summary>
    private Pte Fault(long vpn, bool writable = true)
    {
        var tables = Enumerable.Range(0, _space.PageTable.MissingTables(vpn)).Select(_ => (_nextTablePfn++, 0)).ToList();
        var pte = new Pte(50_000 + vpn % 10_000, 0, writable ? ReadWrite : ReadOnly);
        _space.Map(vpn, pte, tables);
        return pte;
    }

    private FaultKind Access(long vpn, bool write) => _space.Classify(vpn, write, _space.PageTable.Walk(vpn, []));

    [Fact]
    public void Mmap_hands_out_distinct_ranges_with_a_guard_page_between_them_above_4GiB()
    {
        var sizes = new long[] { 1, 10, 100, 3 };
        var starts = sizes.Select(n => _space.Mmap(n, Protection.ReadWrite, MemPolicy.Default)).ToList();

        Assert.Equal(1L << (32 - 12), starts[0]);
        for (var i = 1; i < starts.Count; i++)
        {
            Assert.True(starts[i] >= starts[i - 1] + sizes[i - 1] + 1, $"mapping {i} overlaps or touches mapping {i - 1}");
        }
        Assert.Equal(sizes.Length, _space.Vmas.Count);
        for (var i = 0; i < sizes.Length; i++)
        {
            var vma = _space.Find(starts[i]);
            Assert.NotNull(vma);
            Assert.Equal(starts[i], vma.StartVpn);
            Assert.Equal(sizes[i], vma.Pages);
            Assert.Same(vma, _space.Find(starts[i] + sizes[i] - 1));
            Assert.Null(_space.Find(starts[i] + sizes[i])); // the guard page
        }
    }

    [Fact]
    public void Classify_outside_every_mapping_is_no_mapping()
    {
        var start = _space.Mmap(4, Protection.ReadWrite, MemPolicy.Default);
        Assert.Equal(FaultKind.NoMapping, Access(0, write: false));
        Assert.Equal(FaultKind.NoMapping, Access(start - 1, write: false));
        Assert.Equal(FaultKind.NoMapping, Access(start + 4, write: true)); // the gap after the mapping
    }

    [Fact]
    public void Classify_an_unfaulted_page_of_a_mapping_is_not_present_and_after_map_none()
    {
        var start = _space.Mmap(4, Protection.ReadWrite, MemPolicy.Default);
        Assert.Equal(FaultKind.NotPresent, Access(start + 2, write: false));
        Assert.Equal(FaultKind.NotPresent, Access(start + 2, write: true));
        Fault(start + 2);
        Assert.Equal(FaultKind.None, Access(start + 2, write: false));
        Assert.Equal(FaultKind.None, Access(start + 2, write: true));
        Assert.Equal(FaultKind.NotPresent, Access(start + 3, write: false));
        Assert.Equal(1, _space.ResidentPages);
    }

    [Fact]
    public void A_write_to_a_read_only_mapping_is_a_permission_fault_a_read_is_not()
    {
        var start = _space.Mmap(4, Protection.ReadWrite, MemPolicy.Default);
        Fault(start);
        _space.Mprotect(start, 4, Protection.Read, []);

        Assert.Equal(FaultKind.Permission, Access(start, write: true));
        Assert.Equal(FaultKind.Permission, Access(start + 1, write: true)); // not present, still forbidden
        Assert.Equal(FaultKind.None, Access(start, write: false));
        Assert.Equal(FaultKind.NotPresent, Access(start + 1, write: false));
    }

    [Fact]
    public void Any_access_to_a_PROT_NONE_guard_page_is_a_permission_fault()
    {
        var start = _space.Mmap(4, Protection.ReadWrite, MemPolicy.Default);
        Fault(start + 3);
        _space.Mprotect(start + 3, 1, Protection.None, []);

        Assert.Equal(FaultKind.Permission, Access(start + 3, write: false));
        Assert.Equal(FaultKind.Permission, Access(start + 3, write: true));
        Assert.Equal(FaultKind.NotPresent, Access(start + 2, write: true));
    }

    [Fact]
    public void Mprotect_of_a_middle_range_splits_the_mapping_in_three()
    {
        var start = _space.Mmap(10, Protection.ReadWrite, MemPolicy.Default);
        _space.Mprotect(start + 3, 4, Protection.Read, []);

        Assert.Equal(
            [(start, start + 3, Protection.ReadWrite), (start + 3, start + 7, Protection.Read), (start + 7, start + 10, Protection.ReadWrite)],
            _space.Vmas.Select(v => (v.StartVpn, v.EndVpn, v.Protection)));
        Assert.Same(_space.Vmas[1], _space.Find(start + 6));
    }

    [Fact]
    public void Mprotect_at_the_start_splits_in_two_and_of_the_whole_mapping_splits_nothing()
    {
        var a = _space.Mmap(10, Protection.ReadWrite, MemPolicy.Default);
        var b = _space.Mmap(5, Protection.ReadWrite, MemPolicy.Default);
        _space.Mprotect(a, 2, Protection.Read, []);
        _space.Mprotect(b, 5, Protection.Read, []);

        Assert.Equal(
            [(a, a + 2, Protection.Read), (a + 2, a + 10, Protection.ReadWrite), (b, b + 5, Protection.Read)],
            _space.Vmas.Select(v => (v.StartVpn, v.EndVpn, v.Protection)));
    }

    [Fact]
    public void Mprotect_reports_only_present_pages_whose_entries_changed()
    {
        var start = _space.Mmap(10, Protection.ReadWrite, MemPolicy.Default);
        Fault(start + 2);
        Fault(start + 3);
        Fault(start + 8); // outside the range below
        var changed = new List<long>();

        _space.Mprotect(start + 1, 5, Protection.Read, changed);

        Assert.Equal([start + 2, start + 3], changed);
        Assert.False(_space.PageTable.Walk(start + 2, [])!.Value.Writable);
        Assert.True(_space.PageTable.Walk(start + 8, [])!.Value.Writable);

        changed.Clear();
        _space.Mprotect(start + 1, 5, Protection.Read, changed); // no entry changes
        Assert.Empty(changed);

        _space.Mprotect(start, 10, Protection.ReadWrite, changed); // 8 was writable all along
        Assert.Equal([start + 2, start + 3], changed);
        Assert.True(_space.PageTable.Walk(start + 3, [])!.Value.Writable);
        Assert.Equal(3, _space.ResidentPages);
    }

    [Fact]
    public void Munmap_of_the_middle_leaves_two_mappings_and_returns_the_present_pages_with_their_entries()
    {
        var start = _space.Mmap(10, Protection.ReadWrite, MemPolicy.Default);
        var ptes = new[] { 0, 4, 5, 9 }.ToDictionary(i => start + i, i => Fault(start + i));
        Assert.Equal(4, _space.ResidentPages);
        var removed = new List<(long Vpn, Pte Pte)>();

        _space.Munmap(start + 3, 4, removed);

        Assert.Equal([(start + 4, ptes[start + 4]), (start + 5, ptes[start + 5])], removed);
        Assert.Equal(2, _space.ResidentPages);
        Assert.Equal([(start, start + 3), (start + 7, start + 10)], _space.Vmas.Select(v => (v.StartVpn, v.EndVpn)));
        Assert.Equal(FaultKind.NoMapping, Access(start + 4, write: false));
        Assert.Equal(FaultKind.NoMapping, Access(start + 3, write: false));
        Assert.Equal(FaultKind.None, Access(start, write: false));
        Assert.Equal(FaultKind.None, Access(start + 9, write: false));
        Assert.Null(_space.PageTable.Walk(start + 4, []));
    }

    [Fact]
    public void Munmap_of_a_whole_mapping_removes_it_and_all_its_pages()
    {
        var a = _space.Mmap(3, Protection.ReadWrite, MemPolicy.Default);
        var b = _space.Mmap(3, Protection.ReadWrite, MemPolicy.Default);
        Fault(a);
        Fault(a + 2);
        Fault(b + 1);
        var removed = new List<(long Vpn, Pte Pte)>();

        _space.Munmap(a, 3, removed);

        Assert.Equal([a, a + 2], removed.Select(r => r.Vpn));
        Assert.Equal(1, _space.ResidentPages);
        Assert.Equal([b], _space.Vmas.Select(v => v.StartVpn));
        Assert.Null(_space.Find(a + 1));
    }

    [Fact]
    public void MmapFixed_maps_an_unmapped_range_again_in_address_order()
    {
        var start = _space.Mmap(10, Protection.ReadWrite, MemPolicy.Default);
        var later = _space.Mmap(2, Protection.ReadWrite, MemPolicy.Default);
        Fault(start + 4);
        _space.Munmap(start + 3, 4, []);
        var interleave = new MemPolicy(MemPolicyMode.Interleave, [0, 1]);

        _space.MmapFixed(start + 3, 4, Protection.Read, interleave);

        Assert.Equal(
            [(start, start + 3), (start + 3, start + 7), (start + 7, start + 10), (later, later + 2)],
            _space.Vmas.Select(v => (v.StartVpn, v.EndVpn)));
        var vma = _space.Find(start + 4);
        Assert.NotNull(vma);
        Assert.Equal(Protection.Read, vma.Protection);
        Assert.Same(interleave, vma.Policy);
        Assert.Equal(FaultKind.NotPresent, Access(start + 4, write: false)); // the old page is gone
        Assert.Equal(FaultKind.Permission, Access(start + 4, write: true));
        Assert.Same(_space.Vmas[3], _space.Find(later + 1));
    }

    [Fact]
    public void MmapFixed_over_an_existing_mapping_replaces_that_part_of_it()
    {
        var start = _space.Mmap(10, Protection.ReadWrite, MemPolicy.Default);
        _space.MmapFixed(start + 2, 2, Protection.Read, MemPolicy.Default);
        Assert.Equal(
            [(start, start + 2, Protection.ReadWrite), (start + 2, start + 4, Protection.Read), (start + 4, start + 10, Protection.ReadWrite)],
            _space.Vmas.Select(v => (v.StartVpn, v.EndVpn, v.Protection)));
    }

    [Fact]
    public void RanOn_records_each_cpu_once_in_order()
    {
        Assert.Empty(_space.CpusThatMayCache);
        _space.RanOn(5);
        _space.RanOn(1);
        _space.RanOn(5);
        _space.RanOn(12);
        Assert.Equal([1, 5, 12], _space.CpusThatMayCache);
    }

    [Fact]
    public void Map_counts_resident_pages_and_builds_the_tables_once()
    {
        var start = _space.Mmap(600, Protection.ReadWrite, MemPolicy.Default);
        for (var i = 0; i < 600; i++)
        {
            Fault(start + i);
        }
        Assert.Equal(600, _space.ResidentPages);
        // start is 4 GiB / 4 KiB = 2^20, at the start of a PMD table: 600 pages need two PTE tables,
        // one PMD, one PUD, and the root.
        Assert.Equal(5, _space.PageTable.TablePages);
    }

    [Fact]
    public void Splitting_a_huge_entry_maps_its_pages_through_the_deposited_table()
    {
        var start = _space.Mmap(1024, Protection.ReadWrite, MemPolicy.Default, alignPages: 512, hugepage: true);
        var tables = Enumerable.Range(0, _space.PageTable.MissingTables(start, huge: true)).Select(_ => (_nextTablePfn++, 0)).ToList();
        _space.MapHuge(start, new Pte(8192, 1, ReadWrite), tables, (999, 1));
        var tablePages = _space.PageTable.TablePages;

        Assert.Null(_space.SplitHugePmd(start + 512));
        Assert.Equal(8192, _space.SplitHugePmd(start + 7)!.Value.Pfn);

        Assert.Null(_space.PageTable.HugeLeaf(start));
        Assert.Equal(0, _space.DepositedTables);
        Assert.Equal(tablePages + 1, _space.PageTable.TablePages);
        Assert.Contains((999L, 1), _space.PageTable.Tables);
        Assert.Equal(512, _space.ResidentPages);
        for (var i = 0; i < 512; i++)
        {
            var pte = _space.PageTable.Walk(start + i, [])!.Value;
            Assert.Equal((8192 + i, 1, ReadWrite), (pte.Pfn, pte.Node, pte.Flags));
        }
    }
}
