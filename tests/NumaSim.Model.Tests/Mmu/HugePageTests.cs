using NumaSim.Model.Mmu;
using NumaSim.Model.PageAlloc;
using Xunit;

namespace NumaSim.Model.Tests.Mmu;

public sealed class HugePageTests
{
    private static readonly PagingMode X86 = PagingMode.X86_64_4Level;

    private static AddressSpace SpaceWithHugePage(out long head)
    {
        var mm = new AddressSpace(1, X86, 1000, 0);
        head = mm.Mmap(2 * 512, Protection.ReadWrite, MemPolicy.Default, alignPages: 512);
        Assert.Equal(0, head % 512);
        Assert.True(mm.PageTable.HugeSlotFree(head + 7));
        Assert.Equal(2, mm.PageTable.MissingTables(head, huge: true));
        mm.MapHuge(head, new Pte(4096, 1, PteFlags.Present | PteFlags.Read | PteFlags.Write), [(1001, 0), (1002, 0)], deposit: (1003, 0));
        return mm;
    }

    [Fact]
    public void A_huge_leaf_answers_every_page_of_its_range_after_a_walk_one_level_short()
    {
        var mm = SpaceWithHugePage(out var head);
        var visited = new List<int>();
        var leaf = mm.PageTable.Walk(head + 300, visited);
        Assert.NotNull(leaf);
        Assert.True(leaf.Value.Huge);
        Assert.Equal(4096, leaf.Value.Pfn);
        Assert.Equal(3, visited.Count);
        Assert.False(mm.PageTable.HugeSlotFree(head + 511));
        Assert.True(mm.PageTable.HugeSlotFree(head + 512));
        Assert.Equal(512, mm.ResidentPages);
        Assert.Equal(3, mm.PageTable.TablePages);
    }

    [Fact]
    public void Munmap_and_mprotect_act_on_whole_huge_pages_and_refuse_to_cut_one()
    {
        var mm = SpaceWithHugePage(out var head);
        var changed = new List<long>();
        mm.Mprotect(head, 512, Protection.Read, changed);
        Assert.Equal([head], changed);
        Assert.False(mm.PageTable.Walk(head + 5, []) is { Writable: true });
        Assert.Throws<InvalidOperationException>(() => mm.Mprotect(head + 256, 256, Protection.ReadWrite, changed));

        var removed = new List<(long Vpn, Pte Pte)>();
        var withdrawn = new Dictionary<long, (long Pfn, int Node)>();
        Assert.Equal(1, mm.DepositedTables);
        mm.Munmap(head, 1024, removed, withdrawn);
        Assert.Single(removed);
        // The PTE table deposited with the huge page comes back with it (zap_huge_pmd withdraws and frees it).
        Assert.Equal((1003L, 0), withdrawn[head]);
        Assert.Equal(0, mm.DepositedTables);
        Assert.True(removed[0].Pte.Huge);
        Assert.Equal(0, mm.ResidentPages);
        Assert.Null(mm.PageTable.Walk(head, []));
    }
}
