using System.Globalization;

namespace NumaSim.Model.Slab;

/// <summary>SLUB debugging (CONFIG_SLUB_DEBUG): init_object, check_object, check_bytes_and_report, restore_bytes,
/// slab_pad_check, alloc/free_debug_processing and the report texts of slab_bug, slab_err, object_err, slab_fix.</summary>
public sealed partial class SlubAllocator
{
    /// <summary>init_object: red zones to <paramref name="val"/>, the object to POISON_FREE ending in POISON_END.</summary>
    private void InitObject(Slab slab, int index, byte val)
    {
        if (slab.Bytes is not { } b)
        {
            return;
        }
        var p = ObjectOffset(index);
        var poisonSize = Cache.ObjectSize;
        var redZone = (Cache.Flags & SlabFlags.RedZone) != 0;
        if (redZone)
        {
            b.AsSpan(p - Cache.RedLeftPad, Cache.RedLeftPad).Fill(val);
            if (Cache.TracksOrigSize && val == RedActive)
            {
                // The bytes between the kmalloc request and the bucket size are red zone too.
                poisonSize = slab.OrigSize![index];
            }
        }
        if (Cache.ObjectPoison)
        {
            b.AsSpan(p, poisonSize - 1).Fill(PoisonFree);
            b[p + poisonSize - 1] = PoisonEnd;
        }
        if (redZone)
        {
            b.AsSpan(p + poisonSize, Cache.Inuse - poisonSize).Fill(val);
        }
    }

    /// <summary>alloc_debug_processing: checks with SLAB_CONSISTENCY_CHECKS, then the object becomes active.</summary>
    private bool AllocDebugProcessing(Slab slab, int index, int origSize)
    {
        if ((Cache.Flags & SlabFlags.ConsistencyChecks) != 0
            && (!CheckSlab(slab) || !CheckObject(slab, index, RedInactive)))
        {
            // Mark every object used so nothing more comes from this slab (it is now "frozen").
            SlabFix("Marking all objects used");
            slab.List?.Remove(slab);
            slab.FreeHead = -1;
            slab.FreeCount = 0;
            slab.State = SlabState.Disabled;
            return false;
        }
        if (slab.OrigSize is { } orig)
        {
            orig[index] = origSize;
        }
        InitObject(slab, index, RedActive);
        return true;
    }

    /// <summary>free_debug_processing for one object: false (and "Object at ... not freed") when a check fails.</summary>
    private bool FreeDebugProcessing(Slab slab, int index, ObjectAddress address)
    {
        var checks = (Cache.Flags & SlabFlags.ConsistencyChecks) != 0;
        if (!checks && (index < 0 || !slab.Allocated[index]) && slab.Objects - slab.FreeCount > 0)
        {
            // Without consistency checks SLUB would poison a bad address or push the object on its freelist
            // twice, corrupting it without a word; the model refuses instead.
            AddReport(index < 0 ? SlabDebugKind.InvalidPointer : SlabDebugKind.DoubleFree, address, [], silent: true);
            return false;
        }
        if (!FreeConsistencyChecks(slab, index, address, checks))
        {
            SlabFix($"Object at {address} not freed");
            return false;
        }
        InitObject(slab, index, RedInactive);
        return true;
    }

    /// <summary>check_slab, the in-use count, then free_consistency_checks: pointer, freelist, object.</summary>
    private bool FreeConsistencyChecks(Slab slab, int index, ObjectAddress address, bool checks)
    {
        if (checks && !CheckSlab(slab))
        {
            return false;
        }
        var inuse = slab.Objects - slab.FreeCount;
        if (inuse < 1)
        {
            SlabErr(SlabDebugKind.FreeCountMismatch, address, $"Slab has {inuse} allocated objects but 1 are to be freed\n");
            return false;
        }
        if (!checks)
        {
            return true;
        }
        if (index < 0)
        {
            SlabErr(SlabDebugKind.InvalidPointer, address, $"Invalid object pointer {address}");
            return false;
        }
        if (!slab.Allocated[index])
        {
            ObjectErr(SlabDebugKind.DoubleFree, address, "Object already free");
            return false;
        }
        return CheckObject(slab, index, RedActive);
    }

    /// <summary>check_slab: a slab disabled by a failed check refuses everything; then the tail padding.</summary>
    private bool CheckSlab(Slab slab)
    {
        if (slab.State == SlabState.Disabled)
        {
            SlabErr(SlabDebugKind.SlabDisabled, ObjectAddress.FromPfn(slab.Pfn, PageSize), "Slab disabled since SLUB metadata consistency check failed");
            return false;
        }
        SlabPadCheck(slab);
        return true;
    }

    /// <summary>check_object: every check runs; each failure is one report and its bytes are restored.</summary>
    private bool CheckObject(Slab slab, int index, byte val)
    {
        if (slab.Bytes is null)
        {
            return true;
        }
        var p = ObjectOffset(index);
        var address = AddressOf(slab, index);
        var ok = true;
        if ((Cache.Flags & SlabFlags.RedZone) != 0)
        {
            ok &= CheckBytes(slab, address, "Left Redzone", SlabDebugKind.LeftRedzoneOverwritten, p - Cache.RedLeftPad, val, Cache.RedLeftPad);
            ok &= CheckBytes(slab, address, "Right Redzone", SlabDebugKind.RightRedzoneOverwritten, p + Cache.ObjectSize, val, Cache.Inuse - Cache.ObjectSize);
            if (Cache.TracksOrigSize && val == RedActive)
            {
                var orig = slab.OrigSize![index];
                if (Cache.ObjectSize > orig)
                {
                    ok &= CheckBytes(slab, address, "kmalloc Redzone", SlabDebugKind.KmallocRedzoneOverwritten, p + orig, val, Cache.ObjectSize - orig);
                }
            }
        }
        else if ((Cache.Flags & SlabFlags.Poison) != 0 && Cache.ObjectSize < Cache.Inuse)
        {
            ok &= CheckBytes(slab, address, "Alignment padding", SlabDebugKind.AlignmentPaddingOverwritten, p + Cache.ObjectSize, PoisonInuse, Cache.Inuse - Cache.ObjectSize);
        }

        if ((Cache.Flags & SlabFlags.Poison) != 0)
        {
            if (val != RedActive && Cache.ObjectPoison)
            {
                if (Cache.ObjectSize > 1)
                {
                    ok &= CheckBytes(slab, address, "Poison", SlabDebugKind.PoisonOverwritten, p, PoisonFree, Cache.ObjectSize - 1);
                }
                ok &= CheckBytes(slab, address, "End Poison", SlabDebugKind.EndPoisonOverwritten, p + Cache.ObjectSize - 1, PoisonEnd, 1);
            }
            ok &= CheckPadBytes(slab, address, p);
        }

        if (!ok)
        {
            Taint.Add(TaintFlag.BadPage); // print_trailer (not reproduced), then add_taint
        }
        return ok;
    }

    /// <summary>check_pad_bytes: the POISON_INUSE filler after the free pointer, tracks and orig_size.</summary>
    private bool CheckPadBytes(Slab slab, ObjectAddress address, int p)
    {
        var off = Cache.InfoEnd;
        if ((Cache.Flags & SlabFlags.StoreUser) != 0)
        {
            off += 2 * KmemCache.TrackSize;
            if ((Cache.Flags & SlabFlags.Kmalloc) != 0)
            {
                off += sizeof(uint);
            }
        }
        if (Cache.SizeFromObject == off)
        {
            return true;
        }
        return CheckBytes(slab, address, "Object padding", SlabDebugKind.ObjectPaddingOverwritten, p + off, PoisonInuse, Cache.SizeFromObject - off);
    }

    /// <summary>slab_pad_check: the bytes after the last object (SLAB_POISON only).</summary>
    private void SlabPadCheck(Slab slab)
    {
        if ((Cache.Flags & SlabFlags.Poison) == 0 || slab.Bytes is not { } b)
        {
            return;
        }
        var length = b.Length;
        var remainder = length % Cache.Size;
        if (remainder == 0)
        {
            return;
        }
        var pad = length - remainder;
        var fault = b.AsSpan(pad, remainder).IndexOfAnyExcept(PoisonInuse);
        if (fault < 0)
        {
            return;
        }
        fault += pad;
        var end = length;
        while (end > fault && b[end - 1] == PoisonInuse)
        {
            end--;
        }
        var start = ObjectAddress.FromPfn(slab.Pfn, PageSize);
        SlabErr(
            SlabDebugKind.SlabPaddingOverwritten,
            start.Add(fault),
            $"Padding overwritten. {start.Add(fault)}-{start.Add(end - 1)} @offset={fault.ToString(CultureInfo.InvariantCulture)}");
        RestoreBytes("slab padding", PoisonInuse, b, start, fault, end);
    }

    /// <summary>check_bytes_and_report: the first differing byte, the run up to the last one, then restore_bytes.</summary>
    private bool CheckBytes(Slab slab, ObjectAddress objectAddress, string what, SlabDebugKind kind, int start, byte value, int length)
    {
        if (length <= 0)
        {
            return true;
        }
        var b = slab.Bytes!;
        var fault = b.AsSpan(start, length).IndexOfAnyExcept(value);
        if (fault < 0)
        {
            return true;
        }
        fault += start;
        var end = start + length;
        while (end > fault && b[end - 1] == value)
        {
            end--;
        }
        var slabStart = ObjectAddress.FromPfn(slab.Pfn, PageSize);
        var lines = BugHeader($"{what} overwritten");
        lines.Add(string.Create(
            CultureInfo.InvariantCulture,
            $"{slabStart.Add(fault)}-{slabStart.Add(end - 1)} @offset={fault}. First byte 0x{b[fault]:x} instead of 0x{value:x}"));
        AddReport(kind, objectAddress, lines, silent: false);
        RestoreBytes(what, value, b, slabStart, fault, end);
        return false;
    }

    /// <summary>restore_bytes: "FIX cache: Restoring what 0xfrom-0xto=0xdata" and the bytes put back.</summary>
    private void RestoreBytes(string what, byte value, byte[] bytes, ObjectAddress slabStart, int from, int to)
    {
        SlabFix(string.Create(CultureInfo.InvariantCulture, $"Restoring {what} {slabStart.Add(from)}-{slabStart.Add(to - 1)}=0x{value:x}"));
        bytes.AsSpan(from, to - from).Fill(value);
    }

    /// <summary>list_slab_objects at kmem_cache_destroy.</summary>
    private SlabDebugReport ListSlabObjects(Slab slab)
    {
        var lines = BugHeader($"Objects remaining in {Cache.Name} on __kmem_cache_shutdown()");
        Taint.Add(TaintFlag.BadPage);
        for (var i = 0; i < slab.Objects; i++)
        {
            if (slab.Allocated[i])
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"Object {AddressOf(slab, i)} @offset={ObjectOffset(i)}"));
            }
        }
        return new SlabDebugReport(SlabDebugKind.ObjectsRemaining, Cache.Name, ObjectAddress.FromPfn(slab.Pfn, PageSize), lines);
    }

    /// <summary>slab_err: slab_bug, print_slab_info (not reproduced), add_taint.</summary>
    private void SlabErr(SlabDebugKind kind, ObjectAddress address, string message)
    {
        AddReport(kind, address, BugHeader(message), silent: false);
        Taint.Add(TaintFlag.BadPage);
    }

    /// <summary>object_err: slab_bug, print_trailer (not reproduced), add_taint.</summary>
    private void ObjectErr(SlabDebugKind kind, ObjectAddress address, string reason)
    {
        AddReport(kind, address, BugHeader(reason), silent: false);
        Taint.Add(TaintFlag.BadPage);
    }

    /// <summary>slab_fix: "FIX cache: text", part of the report before it.</summary>
    private void SlabFix(string text)
    {
        var line = $"FIX {Cache.Name}: {text}";
        if (!TryAppendToLastReport(line))
        {
            AddReport(SlabDebugKind.InvalidPointer, ObjectAddress.Null, [line], silent: false);
        }
    }

    /// <summary>slab_bug: the rules around "BUG cache (taint): reason" (a reason ending in a newline adds a blank line).</summary>
    private List<string> BugHeader(string reason)
    {
        var parts = reason.Split('\n');
        var lines = new List<string>(8) { SlabDebugReport.Rule, $"BUG {Cache.Name} ({Taint}): {parts[0]}" };
        lines.AddRange(parts.Skip(1));
        lines.Add(SlabDebugReport.Dashes);
        lines.Add(string.Empty);
        return lines;
    }
}
