using System.Globalization;

namespace NumaSim.Model.Slab;

/// <summary>
/// A simulated kernel virtual address in the direct map (x86-64, 4-level paging, no KASLR):
/// PAGE_OFFSET 0xffff888000000000 + pfn * PAGE_SIZE + offset, so it prints like a kernel pointer.
/// </summary>
public readonly record struct ObjectAddress(ulong Value) : IComparable<ObjectAddress>
{
    /// <summary>PAGE_OFFSET (__PAGE_OFFSET_BASE_L4).</summary>
    public const ulong DirectMapBase = 0xffff_8880_0000_0000UL;

    /// <summary>NULL.</summary>
    public static ObjectAddress Null => default;

    /// <summary>ZERO_SIZE_PTR ((void *)16): what kmalloc(0) returns.</summary>
    public static ObjectAddress ZeroSizePtr => new(16);

    public bool IsNull => Value == 0;

    /// <summary>ZERO_OR_NULL_PTR: kfree and ksize ignore these.</summary>
    public bool IsZeroOrNull => Value <= 16;

    public static ObjectAddress FromPfn(long pfn, int pageSize, long offset = 0) =>
        new(DirectMapBase + (ulong)pfn * (ulong)pageSize + (ulong)offset);

    /// <summary>virt_to_pfn: false for an address below the direct map.</summary>
    public bool TryGetPfn(int pageSize, out long pfn)
    {
        if (Value < DirectMapBase)
        {
            pfn = -1;
            return false;
        }
        pfn = (long)((Value - DirectMapBase) / (ulong)pageSize);
        return true;
    }

    public ObjectAddress Add(long bytes) => new((ulong)((long)Value + bytes));

    public int CompareTo(ObjectAddress other) => Value.CompareTo(other.Value);

    /// <summary>As the kernel prints 0x%p with no_hash_pointers (SLUB debug turns it on): 16 hex digits.</summary>
    public override string ToString() => "0x" + Value.ToString("x16", CultureInfo.InvariantCulture);
}
