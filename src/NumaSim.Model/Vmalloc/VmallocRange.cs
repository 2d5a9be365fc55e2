using NumaSim.Model.Topology;

namespace NumaSim.Model.Vmalloc;

/// <summary>
/// VMALLOC_START and VMALLOC_END of an architecture. As on x86-64, <see cref="End"/> is VMALLOC_END itself, the
/// range's last byte (arch/x86/include/asm/pgtable_64_types.h: VMALLOC_START + (VMALLOC_SIZE_TB &lt;&lt; 40) - 1), so
/// VMALLOC_TOTAL = End - Start, and an area must end at or below End (__alloc_vmap_area refuses
/// nva_start_addr + size &gt; vend): the last page is never handed out, as in the kernel.
/// </summary>
public sealed record VmallocRange(ulong Start, ulong End)
{
    /// <summary>VMALLOC_TOTAL in bytes: what meminfo's VmallocTotal shows, &gt;&gt; 10.</summary>
    public ulong Total => End - Start;

    /// <summary>x86-64 4-level paging: __VMALLOC_BASE_L4 0xffffc90000000000, 32 TiB (VmallocTotal 34359738367 kB).</summary>
    public static VmallocRange X86_64_4Level { get; } = new(0xffffc90000000000, 0xffffc90000000000 + (32UL << 40) - 1);

    /// <summary>x86-64 with LA57: __VMALLOC_BASE_L5 0xffa0000000000000, 12800 TiB (VmallocTotal 13743895347199 kB).</summary>
    public static VmallocRange X86_64_5Level { get; } = new(0xffa0000000000000, 0xffa0000000000000 + (12800UL << 40) - 1);

    /// <summary>
    /// The range of the architecture without KASLR (CONFIG_RANDOMIZE_MEMORY moves the base at boot). arm64 is not
    /// covered: its VMALLOC_END depends on VA_BITS, the granule, KASAN and the vmemmap size; pass its range to the
    /// constructor instead.
    /// </summary>
    public static VmallocRange For(Architecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return architecture.Name switch
        {
            "x86_64" => architecture.FiveLevelPaging ? X86_64_5Level : X86_64_4Level,
            _ => throw new NotSupportedException($"no built-in vmalloc range for {architecture.Name}; give VMALLOC_START and VMALLOC_END explicitly"),
        };
    }
}
