using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace NumaSim.Model.Slab;

/// <summary>
/// SLAB debugging (CONFIG_DEBUG_SLAB): the slot is [red zone 1: u64] object [red zone 2: u64] [last user: one word],
/// obj_offset 8 (mm/slab.c dbg_redzone1, dbg_redzone2, dbg_userword). Red zones hold RED_INACTIVE while the object
/// is free and RED_ACTIVE while it is allocated; a poisoned free object holds POISON_FREE ending in POISON_END and
/// an allocated one POISON_INUSE. The checks and texts are those of cache_alloc_debugcheck_after,
/// verify_redzone_free, check_poison_obj, slab_destroy_debugcheck and slab_error. SLAB checks nothing without
/// CONFIG_DEBUG_SLAB, and kmalloc caches (aligned above 8 bytes) never get red zones.
/// </summary>
public sealed partial class SlabAllocator
{
    /// <summary>RED_INACTIVE / RED_ACTIVE (include/linux/poison.h): SLAB's 64-bit red zone words.</summary>
    public const ulong RedInactive = 0x09F911029D74E35BUL;

    public const ulong RedActive = 0xD84156C5635688C0UL;

    private const byte PoisonInuse = 0x5a;
    private const byte PoisonFree = 0x6b;
    private const byte PoisonEnd = 0xa5;

    private bool RedZoned => (Cache.Flags & SlabFlags.RedZone) != 0;

    private bool Poisoned => (Cache.Flags & SlabFlags.Poison) != 0;

    private bool StoresUser => (Cache.Flags & SlabFlags.StoreUser) != 0;

    /// <summary>cache_init_objs (_debug): red zones inactive, the user word cleared, objects poisoned; constructors
    /// run here unless DEBUG with SLAB_POISON defers them to each allocation.</summary>
    private void CacheInitObjects(Slab slab)
    {
        if (slab.Bytes is not null)
        {
            for (var i = 0; i < slab.Objects; i++)
            {
                if (StoresUser)
                {
                    SetUserWord(slab, i, 0);
                }
                if (RedZoned)
                {
                    SetRedZones(slab, i, RedInactive);
                }
                if (Poisoned)
                {
                    PoisonObject(slab, i, PoisonFree);
                }
            }
        }
        if (Cache.HasCtor && !(Cache.DebugSlab && Poisoned))
        {
            CtorCalls += slab.Objects;
        }
    }

    /// <summary>cache_alloc_debugcheck_after: the poison must be intact (use after free), the red zones inactive
    /// (double free, or an overrun); then POISON_INUSE and RED_ACTIVE.</summary>
    private void AllocDebugCheck(Slab slab, int index)
    {
        if (slab.Bytes is not null)
        {
            if (Poisoned)
            {
                CheckPoisonObject(slab, index);
                PoisonObject(slab, index, PoisonInuse);
            }
            if (RedZoned)
            {
                var (left, right) = RedZones(slab, index);
                if (left != RedInactive || right != RedInactive)
                {
                    SlabError(
                        left != RedInactive ? SlabDebugKind.LeftRedzoneOverwritten : SlabDebugKind.RightRedzoneOverwritten,
                        AddressOf(slab, index),
                        "cache_alloc_debugcheck_after",
                        "double free, or memory outside object was overwritten",
                        RedZoneLine(slab, index, left, right));
                }
                SetRedZones(slab, index, RedActive);
            }
        }
        if (Cache.HasCtor && Cache.DebugSlab && Poisoned)
        {
            CtorCalls++;
        }
    }

    /// <summary>cache_free_debugcheck: verify_redzone_free (both words must be RED_ACTIVE), red zones back to
    /// inactive, the object poisoned with POISON_FREE. The kernel goes on freeing after a report.</summary>
    private void FreeDebugCheck(Slab slab, int index)
    {
        if (slab.Bytes is null)
        {
            return;
        }
        if (RedZoned)
        {
            var (left, right) = RedZones(slab, index);
            if (left != RedActive || right != RedActive)
            {
                SlabError(
                    left != RedActive ? SlabDebugKind.LeftRedzoneOverwritten : SlabDebugKind.RightRedzoneOverwritten,
                    AddressOf(slab, index),
                    "verify_redzone_free",
                    "memory outside object was overwritten",
                    RedZoneLine(slab, index, left, right));
            }
            SetRedZones(slab, index, RedInactive);
        }
        if (StoresUser)
        {
            SetUserWord(slab, index, 0);
        }
        if (Poisoned)
        {
            PoisonObject(slab, index, PoisonFree);
        }
    }

    /// <summary>
    /// A free of an object that is already free. With red zones verify_redzone_free finds both RED_INACTIVE ("double
    /// free detected"); with DEBUG but no red zones slab_put_obj finds the index on the freelist when the object
    /// reaches free_block and BUG()s ("slab: double free detected in cache"), which the model reports at once.
    /// Without DEBUG SLAB would corrupt its arrays without a word. The model refuses the free in every case.
    /// </summary>
    private void ReportDoubleFree(Slab slab, int index, ObjectAddress address)
    {
        if (RedZoned && slab.Bytes is not null)
        {
            var (left, right) = RedZones(slab, index);
            SlabError(SlabDebugKind.DoubleFree, address, "verify_redzone_free", "double free detected", RedZoneLine(slab, index, left, right));
        }
        else if (Cache.DebugSlab)
        {
            AddReport(SlabDebugKind.DoubleFree, address, [$"slab: double free detected in cache '{Cache.Name}', objp {Px(address)}"], silent: false);
        }
        else
        {
            AddReport(SlabDebugKind.DoubleFree, address, [], silent: true);
        }
    }

    /// <summary>slab_destroy_debugcheck: every object of a slab going back must still be poisoned and red-zoned
    /// inactive.</summary>
    private void DestroyDebugCheck(Slab slab)
    {
        if (slab.Bytes is null)
        {
            return;
        }
        for (var i = 0; i < slab.Objects; i++)
        {
            if (Poisoned)
            {
                CheckPoisonObject(slab, i);
            }
            if (RedZoned)
            {
                var (left, right) = RedZones(slab, i);
                if (left != RedInactive)
                {
                    SlabError(SlabDebugKind.LeftRedzoneOverwritten, AddressOf(slab, i), "slab_destroy_debugcheck", "start of a freed object was overwritten");
                }
                if (right != RedInactive)
                {
                    SlabError(SlabDebugKind.RightRedzoneOverwritten, AddressOf(slab, i), "slab_destroy_debugcheck", "end of a freed object was overwritten");
                }
            }
        }
    }

    /// <summary>
    /// check_poison_obj: each 16-byte row of the object with a byte other than POISON_FREE (POISON_END last) is
    /// dumped, at most six, under "Slab corruption (taint): name start=..., len=..."; then the neighbouring objects
    /// (print_objinfo with two rows each). SLAB adds no taint for it.
    /// </summary>
    private void CheckPoisonObject(Slab slab, int index)
    {
        var bytes = slab.Bytes!;
        var start = ObjectOffset(slab, index);
        var size = Cache.ObjectSize;
        List<string>? lines = null;
        var onlyEnd = true;
        var rows = 0;
        for (var i = 0; i < size; i++)
        {
            var expected = i == size - 1 ? PoisonEnd : PoisonFree;
            if (bytes[start + i] == expected)
            {
                continue;
            }
            onlyEnd &= i == size - 1;
            if (lines is null)
            {
                lines = [string.Create(CultureInfo.InvariantCulture, $"Slab corruption ({Taint}): {Cache.Name} start={Px(AddressOf(slab, index))}, len={size}")];
                ObjectInfo(lines, slab, index, 0);
            }
            i = i / 16 * 16;
            DumpLine(lines, bytes, start, i, Math.Min(16, size - i));
            i += 16; // and the loop's i++: the kernel never looks at the first byte of the next row
            if (++rows > 5)
            {
                break;
            }
        }
        if (lines is null)
        {
            return;
        }
        if (index > 0)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"Prev obj: start={Px(AddressOf(slab, index - 1))}, len={size}"));
            ObjectInfo(lines, slab, index - 1, 2);
        }
        if (index + 1 < slab.Objects)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"Next obj: start={Px(AddressOf(slab, index + 1))}, len={size}"));
            ObjectInfo(lines, slab, index + 1, 2);
        }
        AddReport(onlyEnd ? SlabDebugKind.EndPoisonOverwritten : SlabDebugKind.PoisonOverwritten, AddressOf(slab, index), lines, silent: false);
    }

    /// <summary>print_objinfo: the red zone words, the last user, and the first <paramref name="rows"/> rows.</summary>
    private void ObjectInfo(List<string> lines, Slab slab, int index, int rows)
    {
        if (RedZoned)
        {
            var (left, right) = RedZones(slab, index);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"Redzone: 0x{left:x}/0x{right:x}"));
        }
        if (StoresUser)
        {
            lines.Add("Last user: (0x0)");
        }
        var start = ObjectOffset(slab, index);
        for (var i = 0; i < Cache.ObjectSize && rows > 0; i += 16, rows--)
        {
            DumpLine(lines, slab.Bytes!, start, i, Math.Min(16, Cache.ObjectSize - i));
        }
    }

    /// <summary>dump_line: "%03x: " and print_hex_dump's row (hex bytes, the ASCII column at 49); a single wrong byte
    /// one bit away from POISON_FREE gets the bad-RAM hint.</summary>
    private static void DumpLine(List<string> lines, byte[] bytes, int objectStart, int offset, int limit)
    {
        var row = new StringBuilder(80);
        row.Append(offset.ToString("x3", CultureInfo.InvariantCulture)).Append(": ");
        var bad = 0;
        byte error = 0;
        for (var i = 0; i < limit; i++)
        {
            var b = bytes[objectStart + offset + i];
            if (i > 0)
            {
                row.Append(' ');
            }
            row.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            if (b != PoisonFree)
            {
                error = b;
                bad++;
            }
        }
        row.Append(' ', 49 - (limit * 3 - 1));
        for (var i = 0; i < limit; i++)
        {
            var b = bytes[objectStart + offset + i];
            row.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
        }
        lines.Add(row.ToString());
        error ^= PoisonFree;
        if (bad == 1 && (error & (error - 1)) == 0)
        {
            lines.Add("Single bit error detected. Probably bad RAM.");
            lines.Add("Run memtest86+ or a similar memory test tool.");
        }
    }

    private string RedZoneLine(Slab slab, int index, ulong left, ulong right) =>
        string.Create(CultureInfo.InvariantCulture, $"{Px(ObjectAddress.FromPfn(slab.Pfn, PageSize, SlotOffset(slab, index)))}: redzone 1:0x{left:x}, redzone 2:0x{right:x}");

    private (ulong Left, ulong Right) RedZones(Slab slab, int index)
    {
        var bytes = slab.Bytes!;
        return (BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(RedZone1(slab, index))),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(RedZone2(slab, index))));
    }

    private void SetRedZones(Slab slab, int index, ulong value)
    {
        var bytes = slab.Bytes!;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(RedZone1(slab, index)), value);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(RedZone2(slab, index)), value);
    }

    private void SetUserWord(Slab slab, int index, ulong caller) =>
        BinaryPrimitives.WriteUInt64LittleEndian(slab.Bytes!.AsSpan(SlotOffset(slab, index) + Cache.Size - KmemCache.WordSize), caller);

    /// <summary>dbg_redzone1: the word before the object.</summary>
    private int RedZone1(Slab slab, int index) => ObjectOffset(slab, index) - sizeof(ulong);

    /// <summary>dbg_redzone2: the last word of the slot, or the one before the user word.</summary>
    private int RedZone2(Slab slab, int index) =>
        SlotOffset(slab, index) + Cache.Size - sizeof(ulong) - (StoresUser ? SlabLayout.RedzoneAlign : 0);

    /// <summary>poison_obj: object_size bytes of <paramref name="value"/>, the last one POISON_END.</summary>
    private void PoisonObject(Slab slab, int index, byte value)
    {
        var span = slab.Bytes!.AsSpan(ObjectOffset(slab, index), Cache.ObjectSize);
        span.Fill(value);
        span[^1] = PoisonEnd;
    }

    /// <summary>slab_error: "slab error in FUNCTION(): cache `NAME': MESSAGE", then add_taint(TAINT_BAD_PAGE).</summary>
    private void SlabError(SlabDebugKind kind, ObjectAddress address, string function, string message, string? detail = null)
    {
        List<string> lines = [$"slab error in {function}(): cache `{Cache.Name}': {message}"];
        if (detail is not null)
        {
            lines.Add(detail);
        }
        AddReport(kind, address, lines, silent: false);
        Taint.Add(TaintFlag.BadPage);
    }

    /// <summary>%px: the raw pointer, 16 hex digits, no 0x.</summary>
    private static string Px(ObjectAddress address) => address.Value.ToString("x16", CultureInfo.InvariantCulture);
}
