using NumaSim.Model.PageAlloc;
using NumaSim.Model.Slab;
using Xunit;

namespace NumaSim.Model.Tests.SlabAllocator;

/// <summary>
/// SLUB debug on a 64-byte cache with slub_debug=FZP: red_left_pad 8, object 64, right red zone 8 (inuse 72),
/// free pointer 72..80, padding 80..88 (POISON_INUSE), so 96-byte slots, 42 per order-0 slab, the object of
/// slot i at slab offset 96 * i + 8, and 4096 - 42 * 96 = 64 bytes of slab padding at the end.
/// </summary>
public sealed class SlabDebugTests
{
    private static readonly string Tainted = "Tainted: G    B" + new string(' ', KernelTaint.FlagsCount - 6);

    private static (SlubAllocator Slub, FakePageSource Pages) Create(string debug = "FZP", int size = 64)
    {
        var cache = KmemCache.Create("test", size, 0, SlabFlags.None, false, 2, 1, 4096, SlubDebugOptions.Parse(debug)).Cache!;
        var pages = new FakePageSource(1);
        return (new SlubAllocator(cache, pages, [0, 0]), pages);
    }

    private static ObjectAddress Alloc(SlubAllocator slub)
    {
        Assert.True(slub.Allocate(0, -1, Gfp.Kernel, out var address));
        return address;
    }

    private static byte[] Read(SlubAllocator slub, ObjectAddress address, int offset, int length)
    {
        var bytes = new byte[length];
        Assert.True(slub.TryRead(address, offset, bytes));
        return bytes;
    }

    [Fact]
    public void The_layout_is_as_derived()
    {
        var (slub, _) = Create();
        Assert.Equal((96, 8, 72, 72, 42), (slub.Cache.Size, slub.Cache.RedLeftPad, slub.Cache.Inuse, slub.Cache.FreePointerOffset, slub.Cache.ObjectsPerSlab));
    }

    [Fact]
    public void Free_objects_are_poisoned_and_red_zoned_inactive_allocated_ones_active()
    {
        var (slub, _) = Create();
        var p = Alloc(slub);
        var q = p.Add(96); // the next, still free, object
        Assert.Equal([.. Enumerable.Repeat((byte)0xcc, 8)], Read(slub, p, -8, 8));
        Assert.Equal([.. Enumerable.Repeat((byte)0x6b, 63), (byte)0xa5], Read(slub, p, 0, 64));
        Assert.Equal([.. Enumerable.Repeat((byte)0xcc, 8)], Read(slub, p, 64, 8));
        Assert.Equal([.. Enumerable.Repeat((byte)0x5a, 8)], Read(slub, p, 80, 8)); // padding
        Assert.Equal([.. Enumerable.Repeat((byte)0xbb, 8)], Read(slub, q, -8, 8));
        Assert.Equal([.. Enumerable.Repeat((byte)0xbb, 8)], Read(slub, q, 64, 8));

        Assert.True(slub.Free(0, p));
        Assert.Equal([.. Enumerable.Repeat((byte)0xbb, 8)], Read(slub, p, 64, 8));
        Assert.Empty(slub.DrainReports());
    }

    [Fact]
    public void An_overrun_is_reported_on_free_the_red_zone_restored_and_the_object_not_freed()
    {
        var (slub, _) = Create();
        var p = Alloc(slub);
        Assert.Equal(4, slub.Write(p, 64, 4, 0x41));

        Assert.False(slub.Free(0, p));
        var report = Assert.Single(slub.DrainReports());
        Assert.Equal((SlabDebugKind.RightRedzoneOverwritten, "test", p), (report.Kind, report.Cache, report.Address));
        Assert.Equal(
            [
                SlabDebugReport.Rule,
                "BUG test (Not tainted): Right Redzone overwritten",
                SlabDebugReport.Dashes,
                "",
                $"{p.Add(64)}-{p.Add(67)} @offset=72. First byte 0x41 instead of 0xcc",
                $"FIX test: Restoring Right Redzone {p.Add(64)}-{p.Add(67)}=0xcc",
                $"FIX test: Object at {p} not freed",
            ],
            report.Lines);
        Assert.Equal([.. Enumerable.Repeat((byte)0xcc, 8)], Read(slub, p, 64, 8));
        Assert.Equal(1, slub.ActiveObjects);
        Assert.True(slub.Taint.IsSet(TaintFlag.BadPage));

        // The next report carries the taint; the restored object frees cleanly.
        Assert.True(slub.Free(0, p));
        Assert.Empty(slub.DrainReports());
        var q = Alloc(slub);
        slub.Write(q, 64, 1, 0);
        Assert.False(slub.Free(0, q));
        Assert.Equal($"BUG test ({Tainted}): Right Redzone overwritten", slub.DrainReports()[0].Lines[1]);
    }

    [Fact]
    public void An_underrun_hits_the_left_red_zone()
    {
        var (slub, _) = Create();
        var p = Alloc(slub);
        slub.Write(p, -1, 1, 0x00);
        Assert.False(slub.Free(0, p));
        var report = Assert.Single(slub.DrainReports());
        Assert.Equal(SlabDebugKind.LeftRedzoneOverwritten, report.Kind);
        Assert.Equal("BUG test (Not tainted): Left Redzone overwritten", report.Lines[1]);
        Assert.Equal($"{p.Add(-1)}-{p.Add(-1)} @offset=7. First byte 0x0 instead of 0xcc", report.Lines[4]);
    }

    [Fact]
    public void A_write_after_free_is_reported_when_the_object_is_allocated_again_and_the_slab_is_given_up()
    {
        var (slub, pages) = Create();
        var p = Alloc(slub);
        Assert.True(slub.Free(0, p));
        slub.Write(p, 0, 8, 0x00);

        var next = Alloc(slub);
        Assert.NotEqual(p, next);
        Assert.Equal(2, pages.AllocCalls); // the poisoned slab is marked fully used; a new slab serves the request
        var report = Assert.Single(slub.DrainReports());
        Assert.Equal(SlabDebugKind.PoisonOverwritten, report.Kind);
        Assert.Equal(
            [
                SlabDebugReport.Rule,
                "BUG test (Not tainted): Poison overwritten",
                SlabDebugReport.Dashes,
                "",
                $"{p}-{p.Add(7)} @offset=8. First byte 0x0 instead of 0x6b",
                $"FIX test: Restoring Poison {p}-{p.Add(7)}=0x6b",
                "FIX test: Marking all objects used",
            ],
            report.Lines);
    }

    [Fact]
    public void Objects_of_a_slab_given_up_after_a_failed_check_can_no_longer_be_freed()
    {
        var (slub, _) = Create();
        var a = Alloc(slub);
        var b = Alloc(slub);
        Assert.True(slub.Free(0, a));
        slub.Write(a, 0, 1, 0);
        Alloc(slub);
        slub.DrainReports();

        Assert.False(slub.Free(0, b));
        var report = Assert.Single(slub.DrainReports());
        Assert.Equal(SlabDebugKind.SlabDisabled, report.Kind);
        Assert.Equal(
            [
                SlabDebugReport.Rule,
                $"BUG test ({Tainted}): Slab disabled since SLUB metadata consistency check failed",
                SlabDebugReport.Dashes,
                "",
                $"FIX test: Object at {b} not freed",
            ],
            report.Lines);
    }

    [Fact]
    public void The_last_byte_of_a_free_object_is_end_poison()
    {
        var (slub, _) = Create();
        var p = Alloc(slub);
        Assert.True(slub.Free(0, p));
        slub.Write(p, 63, 1, 0x42);
        Alloc(slub);
        var report = Assert.Single(slub.DrainReports());
        Assert.Equal(SlabDebugKind.EndPoisonOverwritten, report.Kind);
        Assert.Equal($"{p.Add(63)}-{p.Add(63)} @offset=71. First byte 0x42 instead of 0xa5", report.Lines[4]);
    }

    [Fact]
    public void A_second_free_of_an_object_is_object_already_free()
    {
        var (slub, _) = Create();
        var a = Alloc(slub);
        Alloc(slub);
        Assert.True(slub.Free(0, a));
        Assert.False(slub.Free(0, a));
        var report = Assert.Single(slub.DrainReports());
        Assert.Equal(SlabDebugKind.DoubleFree, report.Kind);
        Assert.Equal(
            [
                SlabDebugReport.Rule,
                "BUG test (Not tainted): Object already free",
                SlabDebugReport.Dashes,
                "",
                $"FIX test: Object at {a} not freed",
            ],
            report.Lines);
        Assert.Equal(1, slub.ActiveObjects);
    }

    [Fact]
    public void A_second_free_into_a_slab_with_nothing_in_use_is_a_count_mismatch()
    {
        var (slub, _) = Create();
        var a = Alloc(slub);
        Assert.True(slub.Free(0, a));
        Assert.False(slub.Free(0, a));
        var report = Assert.Single(slub.DrainReports());
        Assert.Equal(SlabDebugKind.FreeCountMismatch, report.Kind);
        Assert.Equal(
            [
                SlabDebugReport.Rule,
                "BUG test (Not tainted): Slab has 0 allocated objects but 1 are to be freed",
                "",
                SlabDebugReport.Dashes,
                "",
                $"FIX test: Object at {a} not freed",
            ],
            report.Lines);
    }

    [Fact]
    public void A_pointer_into_the_middle_of_an_object_is_invalid()
    {
        var (slub, _) = Create();
        var a = Alloc(slub);
        Assert.False(slub.Free(0, a.Add(8)));
        var report = Assert.Single(slub.DrainReports());
        Assert.Equal(SlabDebugKind.InvalidPointer, report.Kind);
        Assert.Equal(
            [
                SlabDebugReport.Rule,
                $"BUG test (Not tainted): Invalid object pointer {a.Add(8)}",
                SlabDebugReport.Dashes,
                "",
                $"FIX test: Object at {a.Add(8)} not freed",
            ],
            report.Lines);
        Assert.True(slub.Free(0, a));
    }

    [Fact]
    public void A_pointer_outside_any_slab_is_not_a_slab_page()
    {
        var (slub, _) = Create();
        Alloc(slub);
        Assert.False(slub.Free(0, ObjectAddress.FromPfn(7, 4096)));
        Assert.Equal(["virt_to_cache: Object is not a Slab page!"], Assert.Single(slub.DrainReports()).Lines);
    }

    [Fact]
    public void A_write_into_the_slab_tail_is_found_by_the_next_slab_check_and_restored()
    {
        var (slub, _) = Create();
        var p = Alloc(slub);
        var slabStart = p.Add(-8);
        slub.Write(p, 4032 - 8, 2, 0x00);
        Assert.True(slub.Free(0, p)); // check_slab reports and repairs, then the free goes on
        var report = Assert.Single(slub.DrainReports());
        Assert.Equal(SlabDebugKind.SlabPaddingOverwritten, report.Kind);
        Assert.Equal(
            [
                SlabDebugReport.Rule,
                $"BUG test (Not tainted): Padding overwritten. {slabStart.Add(4032)}-{slabStart.Add(4033)} @offset=4032",
                SlabDebugReport.Dashes,
                "",
                $"FIX test: Restoring slab padding {slabStart.Add(4032)}-{slabStart.Add(4033)}=0x5a",
            ],
            report.Lines);
    }

    [Fact]
    public void A_write_into_the_kmalloc_slack_is_a_kmalloc_redzone_overwrite()
    {
        var kmalloc = new KmallocFamily(new FakePageSource(1), [0], 1, 4096, SlubDebugOptions.Parse("FZPU"));
        var result = kmalloc.Kmalloc(0, 60, Gfp.Kernel);
        Assert.Equal(("kmalloc-64", 256L), (result.Cache, result.BytesAlloc));
        kmalloc.Write(result.Address, 60, 1, 0x00);
        Assert.False(kmalloc.Kfree(0, result.Address));
        var report = Assert.Single(kmalloc.DrainReports());
        Assert.Equal(SlabDebugKind.KmallocRedzoneOverwritten, report.Kind);
        Assert.Equal("BUG kmalloc-64 (Not tainted): kmalloc Redzone overwritten", report.Lines[1]);
        // The first object sits at red_left_pad = 64 in the slab: byte 60 is at offset 124.
        Assert.Equal($"{result.Address.Add(60)}-{result.Address.Add(60)} @offset=124. First byte 0x0 instead of 0xcc", report.Lines[4]);
    }

    [Fact]
    public void Slub_debug_for_one_cache_leaves_the_others_unchecked()
    {
        var kmalloc = new KmallocFamily(new FakePageSource(1), [0], 1, 4096, SlubDebugOptions.Parse("FZ,kmalloc-64"));
        var checkedObject = kmalloc.Kmalloc(0, 64, Gfp.Kernel).Address;
        var plainObject = kmalloc.Kmalloc(0, 128, Gfp.Kernel).Address;
        Assert.Equal(8, kmalloc.Write(checkedObject, 64, 8, 0x41));
        Assert.Equal(0, kmalloc.Write(plainObject, 128, 8, 0x41)); // no bytes kept: nothing to overwrite
        Assert.False(kmalloc.Kfree(0, checkedObject));
        Assert.True(kmalloc.Kfree(0, plainObject));
        Assert.Equal(SlabDebugKind.RightRedzoneOverwritten, Assert.Single(kmalloc.DrainReports()).Kind);
    }

    [Fact]
    public void Without_consistency_checks_red_zones_are_kept_but_never_checked()
    {
        var (slub, _) = Create(debug: "ZP");
        var p = Alloc(slub);
        Alloc(slub);
        slub.Write(p, 64, 1, 0x41);
        Assert.True(slub.Free(0, p));
        Assert.Empty(slub.DrainReports());
        // SLUB would corrupt its freelist on these; the model refuses without a kernel message.
        Assert.False(slub.Free(0, p.Add(96 * 5)));
        Assert.False(slub.Free(0, p.Add(4)));
        Assert.All(slub.DrainReports(), r => Assert.True(r.Silent && r.Lines.Count == 0));
    }

    [Fact]
    public void Every_failed_check_of_one_object_is_its_own_report()
    {
        var (slub, _) = Create();
        var p = Alloc(slub);
        slub.Write(p, -2, 1, 1);
        slub.Write(p, 70, 1, 2);
        slub.Write(p, 84, 1, 3);
        Assert.False(slub.Free(0, p));
        var reports = slub.DrainReports();
        Assert.Equal(
            [SlabDebugKind.LeftRedzoneOverwritten, SlabDebugKind.RightRedzoneOverwritten, SlabDebugKind.ObjectPaddingOverwritten],
            reports.Select(r => r.Kind));
        Assert.All(reports, r => Assert.Contains("(Not tainted)", r.Lines[1], StringComparison.Ordinal));
        Assert.Equal($"FIX test: Object at {p} not freed", reports[^1].Lines[^1]);
        Assert.True(slub.Free(0, p));
    }

    [Fact]
    public void Discarding_a_slab_checks_its_free_objects()
    {
        var (slub, _) = Create();
        var p = Alloc(slub);
        Assert.True(slub.Free(0, p));
        slub.Write(p, 10, 1, 0);
        slub.Shrink();
        var report = Assert.Single(slub.DrainReports());
        Assert.Equal(SlabDebugKind.PoisonOverwritten, report.Kind);
        Assert.Equal(0, slub.TotalSlabs);
    }
}
