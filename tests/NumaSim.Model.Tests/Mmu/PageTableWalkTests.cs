using NumaSim.Model.Mmu;
using Xunit;

namespace NumaSim.Model.Tests.Mmu;

/// <summary>Walks, installs and clears in a page-table tree of every architecture.</summary>
public sealed class PageTableWalkTests
{
    private const long RootPfn = 1000;
    private const int RootNode = 7;

    private static readonly Pte Leaf = new(0x4242, 1, PteFlags.Present | PteFlags.Read | PteFlags.Write | PteFlags.User);

    /// <summary>A page in the middle of each mode's address space, away from any table edge.</summary>
    private static long SomeVpn(PagingMode m) => 0x7F12_3456_7000L >> m.PageShift;

    /// <summary>Table pages for the levels below the root, on nodes 10, 11, ...: distinguishable in a walk.</summary>
    private static List<(long Pfn, int Node)> Tables(int count, int firstNode = 10) =>
        [.. Enumerable.Range(0, count).Select(i => (2000L + firstNode * 100 + i, firstNode + i))];

    public static TheoryData<string> Modes => ["x86-4", "x86-5", "arm-4k", "arm-16k", "arm-64k"];

    [Theory]
    [MemberData(nameof(Modes))]
    public void A_walk_of_an_empty_tree_visits_only_the_root_and_finds_nothing(string mode)
    {
        var table = new PageTable(PagingModeTests.ByName(mode), RootPfn, RootNode);
        var visited = new List<int> { 99, 98 }; // filled, not appended to
        Assert.Null(table.Walk(SomeVpn(table.Mode), visited));
        Assert.Equal([RootNode], visited);
        Assert.Equal(1, table.TablePages);
        Assert.Equal([(RootPfn, RootNode)], table.Tables);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void An_empty_tree_misses_every_table_below_the_root(string mode)
    {
        var m = PagingModeTests.ByName(mode);
        var table = new PageTable(m, RootPfn, RootNode);
        Assert.Equal(m.Levels - 1, table.MissingTables(SomeVpn(m)));
        Assert.Equal(m.Levels - 1, table.MissingTables(0));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Install_then_walk_finds_the_entry_through_the_tables_handed_in_root_first(string mode)
    {
        var m = PagingModeTests.ByName(mode);
        var table = new PageTable(m, RootPfn, RootNode);
        var vpn = SomeVpn(m);
        var tables = Tables(m.Levels - 1);

        table.Install(vpn, Leaf, tables);

        var visited = new List<int>();
        Assert.Equal(Leaf, table.Walk(vpn, visited));
        Assert.Equal(m.Levels, visited.Count);
        Assert.Equal([RootNode, .. tables.Select(t => t.Node)], visited);
        Assert.Equal(0, table.MissingTables(vpn));
        Assert.Equal(m.Levels, table.TablePages);
        Assert.Equal([(RootPfn, RootNode), .. tables], table.Tables);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Two_pages_in_the_same_last_level_table_share_every_table(string mode)
    {
        var m = PagingModeTests.ByName(mode);
        var table = new PageTable(m, RootPfn, RootNode);
        var vpn = SomeVpn(m);
        Assert.NotEqual(m.EntriesPerTable - 1, m.Index(vpn, m.Levels - 1)); // vpn + 1 stays in the same table
        var tables = Tables(m.Levels - 1);
        table.Install(vpn, Leaf, tables);

        Assert.Equal(0, table.MissingTables(vpn + 1));
        var neighbourVisited = new List<int>();
        Assert.Null(table.Walk(vpn + 1, neighbourVisited)); // the path exists, the entry does not
        Assert.Equal([RootNode, .. tables.Select(t => t.Node)], neighbourVisited);

        var neighbour = Leaf with { Pfn = 0x4343 };
        table.Install(vpn + 1, neighbour, []);
        Assert.Equal(m.Levels, table.TablePages);
        Assert.Equal(neighbour, table.Walk(vpn + 1, neighbourVisited));
        Assert.Equal([RootNode, .. tables.Select(t => t.Node)], neighbourVisited);
        Assert.Equal(Leaf, table.Walk(vpn, neighbourVisited));
    }

    [Fact]
    public void On_x86_4_level_pages_2MiB_1GiB_and_512GiB_away_need_one_two_and_three_new_tables()
    {
        var m = PagingMode.X86_64_4Level;
        var table = new PageTable(m, RootPfn, RootNode);
        var vpn = SomeVpn(m); // indices 254, 72, 418, 359 (see PagingModeTests)
        table.Install(vpn, Leaf, Tables(3));

        const long pagesPer2MiB = 1L << 9, pagesPer1GiB = 1L << 18, pagesPer512GiB = 1L << 27;
        Assert.Equal(1, table.MissingTables(vpn + pagesPer2MiB));   // PMD index 419: a new PTE table
        Assert.Equal(2, table.MissingTables(vpn + pagesPer1GiB));   // PUD index 73: a new PMD and PTE table
        Assert.Equal(3, table.MissingTables(vpn + pagesPer512GiB)); // PGD index 255: PUD, PMD and PTE

        var far = vpn + pagesPer1GiB;
        var farTables = Tables(2, firstNode: 20);
        table.Install(far, Leaf with { Pfn = 0x9999 }, farTables);
        Assert.Equal(6, table.TablePages); // root + 3 + 2: the PGD and PUD are shared
        var visited = new List<int>();
        Assert.Equal(0x9999, table.Walk(far, visited)?.Pfn);
        Assert.Equal([RootNode, 10, 20, 21], visited); // root, shared PUD, then the new PMD and PTE table
        Assert.Equal(Leaf, table.Walk(vpn, visited));
        Assert.Equal([RootNode, 10, 11, 12], visited);
    }

    [Fact]
    public void Only_the_tables_a_walk_is_missing_are_taken_from_the_list_top_first()
    {
        var m = PagingMode.X86_64_5Level;
        var table = new PageTable(m, RootPfn, RootNode);
        var vpn = SomeVpn(m);
        table.Install(vpn, Leaf, Tables(4));
        var other = vpn + (1L << 18); // another PUD entry below the same P4D table: needs a PMD and a PTE table
        Assert.Equal(2, table.MissingTables(other));
        table.Install(other, Leaf, [(5000, 30), (5001, 31)]);
        Assert.Equal(7, table.TablePages);
        var visited = new List<int>();
        table.Walk(other, visited);
        Assert.Equal([RootNode, 10, 11, 30, 31], visited);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Clear_returns_the_old_entry_and_the_walk_then_finds_nothing(string mode)
    {
        var m = PagingModeTests.ByName(mode);
        var table = new PageTable(m, RootPfn, RootNode);
        var vpn = SomeVpn(m);
        table.Install(vpn, Leaf, Tables(m.Levels - 1));

        Assert.Equal(Leaf, table.Clear(vpn));
        var visited = new List<int>();
        Assert.Null(table.Walk(vpn, visited));
        Assert.Equal(m.Levels, visited.Count); // the tables stay; only the entry is gone
        Assert.Equal(m.Levels, table.TablePages);
        Assert.Null(table.Clear(vpn));
        Assert.Null(table.Clear(vpn + 1));
        Assert.Null(table.Clear(0)); // no path at all
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Update_rewrites_the_flags_of_a_present_entry_and_returns_the_old_one(string mode)
    {
        var m = PagingModeTests.ByName(mode);
        var table = new PageTable(m, RootPfn, RootNode);
        var vpn = SomeVpn(m);
        table.Install(vpn, Leaf, Tables(m.Levels - 1));

        var old = table.Update(vpn, p => p with { Flags = (p.Flags & ~PteFlags.Write) | PteFlags.Dirty });

        Assert.Equal(Leaf, old);
        var now = table.Walk(vpn, []);
        Assert.NotNull(now);
        Assert.False(now.Value.Writable);
        Assert.Equal(PteFlags.Present | PteFlags.Read | PteFlags.User | PteFlags.Dirty, now.Value.Flags);
        Assert.Equal(Leaf.Pfn, now.Value.Pfn);
    }

    [Fact]
    public void Update_of_an_absent_entry_changes_nothing_and_returns_null()
    {
        var m = PagingMode.X86_64_4Level;
        var table = new PageTable(m, RootPfn, RootNode);
        var vpn = SomeVpn(m);
        table.Install(vpn, Leaf, Tables(3));
        var called = false;
        Assert.Null(table.Update(vpn + 1, p => { called = true; return p; }));
        Assert.Null(table.Update(0, p => { called = true; return p; }));
        Assert.False(called);
        Assert.Null(table.Walk(vpn + 1, []));
    }

    [Fact]
    public void An_entry_installed_without_the_present_bit_is_not_found()
    {
        var m = PagingMode.Arm64_4K;
        var table = new PageTable(m, RootPfn, RootNode);
        table.Install(5, new Pte(77, 0, PteFlags.Read), Tables(3));
        Assert.Null(table.Walk(5, []));
        Assert.Null(table.Clear(5));
    }
}
