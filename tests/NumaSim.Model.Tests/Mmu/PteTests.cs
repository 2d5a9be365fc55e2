using NumaSim.Model.Mmu;
using Xunit;

namespace NumaSim.Model.Tests.Mmu;

/// <summary>A page-table entry packs its pfn, node and flags in one 64-bit word, as pte_t does, and gives them back.</summary>
public sealed class PteTests
{
    [Theory]
    [InlineData(0L, 0)]
    [InlineData(268_435_455L, 7)]
    [InlineData(Pte.MaxPfn, 4095)]
    [InlineData(12_345L, -1)]
    public void Pfn_node_and_flags_come_back_as_they_went_in(long pfn, int node)
    {
        const PteFlags flags = PteFlags.Present | PteFlags.Write | PteFlags.ProtNone | PteFlags.Swap;

        var pte = new Pte(pfn, node, flags);

        Assert.Equal(pfn, pte.Pfn);
        Assert.Equal(node, pte.Node);
        Assert.Equal(flags, pte.Flags);
    }

    [Fact]
    public void With_changes_one_field_and_keeps_the_others()
    {
        var pte = new Pte(1L << 34, 4095, PteFlags.Present | PteFlags.Write);

        var hinting = pte with { Flags = (pte.Flags | PteFlags.ProtNone) & ~PteFlags.Write };
        var moved = pte with { Pfn = 42, Node = 3 };

        Assert.Equal((1L << 34, 4095, PteFlags.Present | PteFlags.ProtNone), (hinting.Pfn, hinting.Node, hinting.Flags));
        Assert.Equal((42L, 3, PteFlags.Present | PteFlags.Write), (moved.Pfn, moved.Node, moved.Flags));
        Assert.Equal(pte, moved with { Pfn = 1L << 34, Node = 4095 });
    }

    [Fact]
    public void A_swap_entry_is_not_present_and_names_its_slot_on_no_node()
    {
        var entry = Pte.SwapEntry(99_999);

        Assert.True(entry.IsSwap);
        Assert.False(entry.Present);
        Assert.Equal(99_999, entry.Pfn);
        Assert.Equal(-1, entry.Node);
    }

    [Fact]
    public void An_empty_slot_is_node_0_pfn_0_and_not_present()
    {
        var table = new Pte[1];
        var empty = table[0];

        Assert.Equal(new Pte(0, 0, PteFlags.None), empty);
        Assert.False(empty.Present);
    }

    [Fact]
    public void A_pfn_or_node_beyond_the_entry_s_bits_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pte(Pte.MaxPfn + 1, 0, PteFlags.Present));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pte(-1, 0, PteFlags.Present));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pte(0, 4096, PteFlags.Present));
    }

    [Fact]
    public void An_entry_takes_8_bytes() => Assert.Equal(8, System.Runtime.CompilerServices.Unsafe.SizeOf<Pte>());
}
