using NumaSim.Model.Mmu;
using Xunit;

namespace NumaSim.Model.Tests.Mmu;

/// <summary>The shape of each architecture's page-table tree: address width, table size, index split.</summary>
public sealed class PagingModeTests
{
    internal static PagingMode ByName(string name) => name switch
    {
        "x86-4" => PagingMode.X86_64_4Level,
        "x86-5" => PagingMode.X86_64_5Level,
        "arm-4k" => PagingMode.Arm64_4K,
        "arm-16k" => PagingMode.Arm64_16K,
        "arm-64k" => PagingMode.Arm64_64K,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [InlineData("x86_64", 4096, false, "x86-4")]
    [InlineData("x86_64", 4096, true, "x86-5")]
    [InlineData("arm64", 4096, false, "arm-4k")]
    [InlineData("arm64", 16384, false, "arm-16k")]
    [InlineData("arm64", 65536, false, "arm-64k")]
    public void For_picks_the_mode_of_an_architecture_and_page_size(string arch, int pageSize, bool fiveLevel, string expected) =>
        Assert.Same(ByName(expected), PagingMode.For(arch, pageSize, fiveLevel));

    [Theory]
    [InlineData("x86_64", 16384)]
    [InlineData("x86_64", 65536)]
    [InlineData("arm64", 8192)]
    [InlineData("riscv64", 4096)]
    public void For_rejects_a_combination_no_architecture_has(string arch, int pageSize) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PagingMode.For(arch, pageSize, fiveLevel: false));

    [Theory]
    [InlineData("x86-4", 12, 4, 512, 48)]
    [InlineData("x86-5", 12, 5, 512, 57)]
    [InlineData("arm-4k", 12, 4, 512, 48)]
    public void Shape_and_virtual_address_width(string mode, int pageShift, int levels, int entries, int vaBits)
    {
        var m = ByName(mode);
        Assert.Equal(pageShift, m.PageShift);
        Assert.Equal(1L << pageShift, m.PageSize);
        Assert.Equal(levels, m.Levels);
        Assert.Equal(entries, m.EntriesPerTable);
        Assert.Equal(vaBits, m.VaBits);
        Assert.Equal(1L << (vaBits - pageShift), m.MaxVirtualPage);
    }

    // With 48-bit addresses the large granules leave their top level partly used:
    // 14 + 3 * 11 = 47 bits, so the 16 KiB granule's top table uses 1 bit; 16 + 2 * 13 = 42, so the
    // 64 KiB granule's top table uses 6. MaxVirtualPage is what AddressSpace.Mmap checks.
    [Theory]
    [InlineData("arm-16k", 14, 4, 2048, 48)]
    [InlineData("arm-64k", 16, 3, 8192, 48)]
    public void Arm64_large_granules_have_their_documented_address_width(string mode, int pageShift, int levels, int entries, int vaBits)
    {
        var m = ByName(mode);
        Assert.Equal(pageShift, m.PageShift);
        Assert.Equal(levels, m.Levels);
        Assert.Equal(entries, m.EntriesPerTable);
        Assert.Equal(vaBits, m.VaBits);
        Assert.Equal(1L << (vaBits - pageShift), m.MaxVirtualPage);
    }

    // Expected indices, worked out by hand from the bits of the address (top level first):
    //
    // x86-4, VA 0x7F12_3456_7000 = 0111 1111 0|001 0010 00|11 0100 010|1 0110 0111|0000 0000 0000
    //   PGD = 0b011111110 = 254, PUD = 0b001001000 = 72, PMD = 0b110100010 = 418, PTE = 0b101100111 = 359
    // x86-5, VA 0xAB_7F12_3456_7000: bits 56..48 are 0xAB = 171 (P4D/PGD), then as above
    // arm-4k, VA 0xFFFF_C020_1000: bits 47..30 all ones -> L0 = 511, L1 = 511;
    //   bits 29..0 = 0x020_1000 -> L2 = 0x201000 >> 21 = 1, L3 = (0x201000 >> 12) & 511 = 0x201 & 511 = 1
    // arm-16k, VA 0x4008_0100_4000 = 2^46 + 2^35 + 2^24 + 2^14 -> vpn = VA >> 14 = 2^32 + 2^21 + 2^10 + 1
    //   L0 = vpn >> 33 = 0, L1 = (vpn >> 22) & 2047 = 2^10 = 1024, L2 = (vpn >> 11) & 2047 = 2^10 = 1024,
    //   L3 = vpn & 2047 = 2^10 + 1 = 1025
    // arm-64k, VA 0x200_4006_0000 -> vpn = VA >> 16 = 0x200_4006 = 2^25 + 2^14 + 6
    //   L0 = vpn >> 26 = 0, L1 = (vpn >> 13) & 8191 = 2^12 + 2 = 4098, L2 = vpn & 8191 = 6
    [Theory]
    [InlineData("x86-4", 0x7F12_3456_7000L, new[] { 254, 72, 418, 359 })]
    [InlineData("x86-5", 0xAB_7F12_3456_7000L, new[] { 171, 254, 72, 418, 359 })]
    [InlineData("arm-4k", 0xFFFF_C020_1000L, new[] { 511, 511, 1, 1 })]
    [InlineData("arm-16k", 0x4008_0100_4000L, new[] { 0, 1024, 1024, 1025 })]
    [InlineData("arm-64k", 0x200_4006_0000L, new[] { 0, 4098, 6 })]
    public void A_virtual_page_splits_into_one_index_per_level_top_first(string mode, long va, int[] expected)
    {
        var m = ByName(mode);
        var vpn = va >> m.PageShift;
        Assert.Equal(expected, Enumerable.Range(0, m.Levels).Select(level => m.Index(vpn, level)));
    }

    [Theory]
    [InlineData("x86-4")]
    [InlineData("x86-5")]
    [InlineData("arm-4k")]
    [InlineData("arm-16k")]
    [InlineData("arm-64k")]
    public void The_last_level_index_is_the_low_bits_and_neighbours_differ_only_there(string mode)
    {
        var m = ByName(mode);
        var vpn = (3L << m.BitsPerLevel) + 5;
        Assert.Equal(5, m.Index(vpn, m.Levels - 1));
        Assert.Equal(3, m.Index(vpn, m.Levels - 2));
        Assert.Equal(6, m.Index(vpn + 1, m.Levels - 1));
        for (var level = 0; level < m.Levels - 1; level++)
        {
            Assert.Equal(m.Index(vpn, level), m.Index(vpn + 1, level));
        }
    }
}
