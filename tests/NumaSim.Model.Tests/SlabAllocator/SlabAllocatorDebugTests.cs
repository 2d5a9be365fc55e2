using NumaSim.Model.PageAlloc;
using Xunit;

namespace NumaSim.Model.Tests.SlabAllocator;

using NumaSim.Model.Slab;

/// <summary>
/// CONFIG_DEBUG_SLAB on a 64-byte cache: 88-byte slots [red zone 1: 8][object: 64][red zone 2: 8][last user: 8],
/// the object 8 bytes into its slot, 46 per order-0 slab, limit 32 and batchcount 16. The first allocation refills
/// objects 0..15 and hands out the top one, object 15.
/// </summary>
public sealed class SlabAllocatorDebugTests
{
    private static readonly byte[] Active = BitConverter.GetBytes(SlabAllocator.RedActive);
    private static readonly byte[] Inactive = BitConverter.GetBytes(SlabAllocator.RedInactive);

    private static SlabAllocator Create(bool debug = true)
    {
        var options = SlabAllocatorOptions.For(SlabAllocatorKind.Slab) with { DebugSlab = debug };
        var cache = SlabAllocatorFactory.CreateCache(options, "test", 64, 0, SlabFlags.None, false, 2, 1, 4096).Cache!;
        return new SlabAllocator(cache, new FakePageSource(1), [0, 0]);
    }

    private static ObjectAddress Alloc(SlabAllocator slab)
    {
        Assert.True(slab.Allocate(0, -1, Gfp.Kernel, out var address));
        return address;
    }

    private static byte[] Read(SlabAllocator slab, ObjectAddress address, int offset, int length)
    {
        var bytes = new byte[length];
        Assert.True(slab.TryRead(address, offset, bytes));
        return bytes;
    }

    private static string Px(ObjectAddress address) => address.Value.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Allocated_objects_are_poisoned_in_use_and_red_zoned_active_free_ones_poisoned_free_and_inactive()
    {
        var slab = Create();
        var p = Alloc(slab);
        Assert.Equal(Active, Read(slab, p, -8, 8));
        Assert.Equal([.. Enumerable.Repeat((byte)0x5a, 63), (byte)0xa5], Read(slab, p, 0, 64));
        Assert.Equal(Active, Read(slab, p, 64, 8));

        var next = p.Add(88); // object 16: still on the slab's freelist
        Assert.Equal(Inactive, Read(slab, next, -8, 8));
        Assert.Equal([.. Enumerable.Repeat((byte)0x6b, 63), (byte)0xa5], Read(slab, next, 0, 64));
        Assert.Equal(Inactive, Read(slab, next, 64, 8));

        Assert.True(slab.Free(0, p));
        Assert.Equal(Inactive, Read(slab, p, 64, 8));
        Assert.Equal([.. Enumerable.Repeat((byte)0x6b, 63), (byte)0xa5], Read(slab, p, 0, 64));
        Assert.Empty(slab.DrainReports());
    }

    [Fact]
    public void An_overrun_is_reported_by_verify_redzone_free_and_the_object_is_still_freed()
    {
        var slab = Create();
        var p = Alloc(slab);
        Assert.Equal(4, slab.Write(p, 64, 4, 0x41));

        Assert.True(slab.Free(0, p));
        var report = Assert.Single(slab.DrainReports());
        Assert.Equal((SlabDebugKind.RightRedzoneOverwritten, "test", p), (report.Kind, report.Cache, report.Address));
        Assert.Equal(
            [
                "slab error in verify_redzone_free(): cache `test': memory outside object was overwritten",
                $"{Px(p.Add(-8))}: redzone 1:0xd84156c5635688c0, redzone 2:0xd84156c541414141",
            ],
            report.Lines);
        Assert.True(slab.Taint.IsSet(TaintFlag.BadPage));
        Assert.Equal(0, slab.ActiveObjects);
        Assert.Equal(Inactive, Read(slab, p, 64, 8));
    }

    [Fact]
    public void An_underrun_is_reported_as_the_left_red_zone()
    {
        var slab = Create();
        var p = Alloc(slab);
        slab.Write(p, -1, 1, 0);
        Assert.True(slab.Free(0, p));
        Assert.Equal(SlabDebugKind.LeftRedzoneOverwritten, Assert.Single(slab.DrainReports()).Kind);
    }

    [Fact]
    public void A_double_free_finds_both_red_zones_inactive()
    {
        var slab = Create();
        var p = Alloc(slab);
        Assert.True(slab.Free(0, p));
        Assert.False(slab.Free(0, p));
        var report = Assert.Single(slab.DrainReports());
        Assert.Equal(SlabDebugKind.DoubleFree, report.Kind);
        Assert.Equal(
            [
                "slab error in verify_redzone_free(): cache `test': double free detected",
                $"{Px(p.Add(-8))}: redzone 1:0x9f911029d74e35b, redzone 2:0x9f911029d74e35b",
            ],
            report.Lines);
    }

    [Fact]
    public void A_write_after_free_is_found_when_the_object_is_allocated_again()
    {
        var slab = Create();
        var p = Alloc(slab);
        Assert.True(slab.Free(0, p));
        slab.Write(p, 10, 1, 0x00);

        Assert.Equal(p, Alloc(slab)); // LIFO: the same object comes back
        var report = Assert.Single(slab.DrainReports());
        Assert.Equal((SlabDebugKind.PoisonOverwritten, p), (report.Kind, report.Address));
        Assert.Equal(
            [
                $"Slab corruption (Not tainted): test start={Px(p)}, len=64",
                "Redzone: 0x9f911029d74e35b/0x9f911029d74e35b",
                "Last user: (0x0)",
                "000: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 00 6b 6b 6b 6b 6b  kkkkkkkkkk.kkkkk",
                $"Prev obj: start={Px(p.Add(-88))}, len=64",
            ],
            report.Lines.Take(5));
        // The object is handed out poisoned POISON_INUSE as usual.
        Assert.Equal([.. Enumerable.Repeat((byte)0x5a, 63), (byte)0xa5], Read(slab, p, 0, 64));
    }

    [Fact]
    public void A_single_flipped_bit_in_a_free_object_suggests_bad_ram()
    {
        var slab = Create();
        var p = Alloc(slab);
        Assert.True(slab.Free(0, p));
        slab.Write(p, 20, 1, 0x6a);
        Alloc(slab);
        var lines = Assert.Single(slab.DrainReports()).Lines;
        Assert.Equal("010: 6b 6b 6b 6b 6a 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b  kkkkjkkkkkkkkkkk", lines[3]);
        Assert.Equal("Single bit error detected. Probably bad RAM.", lines[4]);
    }

    [Fact]
    public void Without_debug_slab_nothing_is_kept_or_checked()
    {
        var slab = Create(debug: false);
        var p = Alloc(slab);
        Assert.Equal(0, slab.Write(p, 64, 4, 0x41));
        Assert.False(slab.TryRead(p, 0, new byte[8]));
        Assert.True(slab.Free(0, p));
        Assert.Empty(slab.DrainReports());
    }
}
