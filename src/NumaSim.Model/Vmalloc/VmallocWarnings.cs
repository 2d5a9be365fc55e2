using System.Globalization;

namespace NumaSim.Model.Vmalloc;

/// <summary>
/// The messages mm/vmalloc.c prints on the paths the model covers. Pointers print as %p does with
/// no_hash_pointers (16 lowercase hex digits, no 0x): the kernel hashes %p by default with a per-boot key, which a
/// simulation cannot reproduce. Sizes are in bytes. warn_alloc's "COMM: " prefix and ", mode:..." suffix are the
/// caller's to add.
/// </summary>
public static class VmallocWarnings
{
    /// <summary>vfree of an address no area holds (remove_vm_area found nothing).</summary>
    public static string NonexistentArea(ulong address) => $"Trying to vfree() nonexistent vm area ({Pointer(address)})";

    /// <summary>vfree of an address that is not page aligned.</summary>
    public static string BadAddress(ulong address) => $"Trying to vfree() bad address ({Pointer(address)})";

    /// <summary>alloc_vmap_area found no room; the size includes the guard page.</summary>
    public static string VmapAllocationFailed(long sizeWithGuard) =>
        string.Create(CultureInfo.InvariantCulture, $"vmap allocation for size {sizeWithGuard} failed: use vmalloc=<size> to increase size");

    /// <summary>__vmalloc_node_range before anything else: size &gt;&gt; PAGE_SHIFT above totalram_pages().</summary>
    public static string ExceedsTotalPages(long requestedSize) =>
        string.Create(CultureInfo.InvariantCulture, $"vmalloc error: size {requestedSize}, exceeds total pages");

    /// <summary>__vmalloc_node_range after alloc_vmap_area failed; the size is the one vmalloc was asked for.</summary>
    public static string VmStructAllocationFailed(long requestedSize) =>
        string.Create(CultureInfo.InvariantCulture, $"vmalloc error: size {requestedSize}, vm_struct allocation failed");

    /// <summary>__vmalloc_area_node got fewer pages than the area needs: the size is what it did get, in bytes.</summary>
    public static string FailedToAllocatePages(long bytesAllocated) =>
        string.Create(CultureInfo.InvariantCulture, $"vmalloc error: size {bytesAllocated}, failed to allocate pages");

    private static string Pointer(ulong address) => address.ToString("x16", CultureInfo.InvariantCulture);
}
