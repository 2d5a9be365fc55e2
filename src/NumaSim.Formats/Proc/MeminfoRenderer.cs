using System.Globalization;
using System.Text;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;
using NumaSim.Model.Topology;
using NumaSim.Model.Vmalloc;

namespace NumaSim.Formats.Proc;

/// <summary>
/// /proc/meminfo as Linux 6.18's fs/proc/meminfo.c meminfo_proc_show prints it, with the lines of the reference
/// machine's configuration (the same kernel as tests/data/reference/procfs-6.18; CONFIG_ZSWAP,
/// CONFIG_TRANSPARENT_HUGEPAGE, CONFIG_HUGETLB_PAGE; no CONFIG_HIGHMEM, CONFIG_MEMORY_FAILURE (HardwareCorrupted),
/// CONFIG_CMA (CmaTotal, CmaFree), CONFIG_UNACCEPTED_MEMORY (Unaccepted), CONFIG_SHADOW_CALL_STACK or gbpages
/// (DirectMap1G)). show_val_kb prints the label literal, whose padding makes it 16 characters, then the value in kB
/// right-aligned in 8 (seq_put_decimal_ull_width); KernelStack, Zswapped, VmallocTotal and the x86 DirectMap lines
/// are seq_printf "%8lu kB"; hugetlb_report_meminfo prints "HugePages_*:   %5lu" without a unit. Values come from
/// the snapshot as the kernel derives them (si_meminfo: MemTotal = managed pages, MemFree = free pages; the
/// node_stat_items summed over nodes; si_mem_available; vm_commit_limit with overcommit_ratio 50; SwapTotal and SwapFree from si_swapinfo);
/// what the model does not track is 0.
/// </summary>
public static class MeminfoRenderer
{
    /// <summary>sysctl vm.overcommit_ratio's default.</summary>
    private const long OvercommitRatio = 50;

    public static string Render(MachineSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        long Kb(long pages) => s.PagesToKb(pages);
        long Stat(NodeStatItem item) => s.Nodes.Sum(n => n.Stat(item));

        var totalram = s.Zones.Sum(z => z.Spec.Managed);
        var freeram = s.Zones.Sum(z => z.FreePages);
        var swapcache = Stat(NodeStatItem.NrSwapcached);
        var bufferram = 0L; // nr_blockdev_pages(): no block devices
        var cached = Math.Max(0, Stat(NodeStatItem.NrFilePages) - swapcache - bufferram);
        var sreclaimable = Stat(NodeStatItem.NrSlabReclaimable);
        var sunreclaim = Stat(NodeStatItem.NrSlabUnreclaimable);
        var (vmallocTotalKb, vmallocUsedKb) = Vmalloc(s);

        var sb = new StringBuilder();
        void Line(string label, long pages) => ShowKb(sb, label, Kb(pages));

        Line("MemTotal:       ", totalram);
        Line("MemFree:        ", freeram);
        Line("MemAvailable:   ", MemAvailable(s, freeram, sreclaimable + Stat(NodeStatItem.NrKernelMiscReclaimable)));
        Line("Buffers:        ", bufferram);
        Line("Cached:         ", cached);
        Line("SwapCached:     ", swapcache);
        Line("Active:         ", Stat(NodeStatItem.NrActiveAnon) + Stat(NodeStatItem.NrActiveFile));
        Line("Inactive:       ", Stat(NodeStatItem.NrInactiveAnon) + Stat(NodeStatItem.NrInactiveFile));
        Line("Active(anon):   ", Stat(NodeStatItem.NrActiveAnon));
        Line("Inactive(anon): ", Stat(NodeStatItem.NrInactiveAnon));
        Line("Active(file):   ", Stat(NodeStatItem.NrActiveFile));
        Line("Inactive(file): ", Stat(NodeStatItem.NrInactiveFile));
        Line("Unevictable:    ", Stat(NodeStatItem.NrUnevictable));
        Line("Mlocked:        ", s.Zones.Sum(z => z.Stat(ZoneStatItem.NrMlock)));
        Line("SwapTotal:      ", s.SwapTotalPages);
        Line("SwapFree:       ", s.SwapFreePages ?? s.SwapTotalPages);
        Line("Zswap:          ", 0);
        ShowKb(sb, "Zswapped:       ", 0);
        Line("Dirty:          ", Stat(NodeStatItem.NrDirty));
        Line("Writeback:      ", Stat(NodeStatItem.NrWriteback));
        Line("AnonPages:      ", Stat(NodeStatItem.NrAnonPages));
        Line("Mapped:         ", Stat(NodeStatItem.NrMapped));
        Line("Shmem:          ", Stat(NodeStatItem.NrShmem));
        Line("KReclaimable:   ", sreclaimable + Stat(NodeStatItem.NrKernelMiscReclaimable));
        Line("Slab:           ", sreclaimable + sunreclaim);
        Line("SReclaimable:   ", sreclaimable);
        Line("SUnreclaim:     ", sunreclaim);
        ShowKb(sb, "KernelStack:    ", Stat(NodeStatItem.NrKernelStack)); // NR_KERNEL_STACK_KB: already in kB
        Line("PageTables:     ", Stat(NodeStatItem.NrPageTablePages));
        Line("SecPageTables:  ", Stat(NodeStatItem.NrSecPageTablePages));
        Line("NFS_Unstable:   ", 0);
        Line("Bounce:         ", 0);
        Line("WritebackTmp:   ", 0);
        Line("CommitLimit:    ", totalram * OvercommitRatio / 100 + s.SwapTotalPages);
        Line("Committed_AS:   ", 0);
        ShowKb(sb, "VmallocTotal:   ", vmallocTotalKb);
        ShowKb(sb, "VmallocUsed:    ", vmallocUsedKb);
        Line("VmallocChunk:   ", 0);
        Line("Percpu:         ", 0);
        // NR_ANON_THPS and the other THP items are kept in base pages, as NodeStats keep them.
        Line("AnonHugePages:  ", Stat(NodeStatItem.NrAnonTransparentHugepages));
        Line("ShmemHugePages: ", Stat(NodeStatItem.NrShmemHugepages));
        Line("ShmemPmdMapped: ", Stat(NodeStatItem.NrShmemPmdmapped));
        Line("FileHugePages:  ", Stat(NodeStatItem.NrFileHugepages));
        Line("FilePmdMapped:  ", Stat(NodeStatItem.NrFilePmdmapped));
        Line("Balloon:        ", Stat(NodeStatItem.NrBalloonPages));

        // hugetlb_report_meminfo: no persistent huge page pool is modelled; the default hstate is the PMD size.
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"HugePages_Total:   {0,5}\n");
        sb.Append(inv, $"HugePages_Free:    {0,5}\n");
        sb.Append(inv, $"HugePages_Rsvd:    {0,5}\n");
        sb.Append(inv, $"HugePages_Surp:    {0,5}\n");
        ShowKb(sb, "Hugepagesize:   ", s.PmdHugePages() * s.Topology.Arch.PageSize / 1024);
        ShowKb(sb, "Hugetlb:        ", 0);

        // arch_report_meminfo: x86's direct-map counts (arch/x86/mm/pat/set_memory.c); the model has no direct map.
        if (IsX86(s))
        {
            ShowKb(sb, "DirectMap4k:    ", 0);
            ShowKb(sb, "DirectMap2M:    ", 0);
        }
        return sb.ToString();
    }

    /// <summary>
    /// si_mem_available (mm/show_mem.c): free pages less totalreserve_pages, plus the page cache and the reclaimable
    /// kernel memory, each less min(half of it, the low watermarks of every zone). for_each_zone visits empty zones
    /// too: an empty Movable zone's low watermark is 32, as zoneinfo shows it; the other empty zones' are 0.
    /// </summary>
    private static long MemAvailable(MachineSnapshot s, long free, long reclaimable)
    {
        var wmarkLow = s.Zones.Sum(z => z.Watermarks.Low + z.Watermarks.Boost) // low_wmark_pages()
            + s.Nodes.Count(n => n.ZoneOrNull(ZoneType.Movable) is null) * ZoneinfoRenderer.MovableMinWatermark;
        var available = free - TotalReservePages(s);
        var pagecache = s.Nodes.Sum(n => n.Stat(NodeStatItem.NrActiveFile) + n.Stat(NodeStatItem.NrInactiveFile));
        pagecache -= Math.Min(pagecache / 2, wmarkLow);
        available += pagecache;
        reclaimable -= Math.Min(reclaimable / 2, wmarkLow);
        available += reclaimable;
        return Math.Max(0, available);
    }

    /// <summary>
    /// calculate_totalreserve_pages (mm/page_alloc.c): for every zone, its largest lowmem_reserve[j] for j at or above
    /// its own index plus its high watermark (as set, without boost), at most its managed pages. Unpopulated zones add 0.
    /// </summary>
    private static long TotalReservePages(MachineSnapshot s)
    {
        long total = 0;
        foreach (var zone in s.Zones)
        {
            long max = 0;
            for (var j = (int)zone.Type; j < zone.LowmemReserve.Count; j++)
            {
                max = Math.Max(max, zone.LowmemReserve[j]);
            }
            max += zone.Watermarks.High;
            total += Math.Min(max, zone.Spec.Managed);
        }
        return total;
    }

    /// <summary>VMALLOC_TOTAL &gt;&gt; 10 and vmalloc_nr_pages() in kB; an arm64 run without vmalloc shows 0 (no built-in range).</summary>
    private static (long TotalKb, long UsedKb) Vmalloc(MachineSnapshot s)
    {
        if (s.Vmalloc is { } vmalloc)
        {
            return (vmalloc.VmallocTotalKb, vmalloc.VmallocUsedKb);
        }
        return IsX86(s) ? ((long)(VmallocRange.For(s.Topology.Arch).Total >> 10), 0) : (0, 0);
    }

    private static bool IsX86(MachineSnapshot s) => s.Topology.Arch.Name == Architecture.X86_64.Name;

    /// <summary>
    /// show_val_kb after its pages-to-kB shift: the label, then the value right-aligned in 8 and " kB". The lines the
    /// kernel prints with seq_printf(m, "Label:   %8lu kB\n", kb) come out the same.
    /// </summary>
    private static void ShowKb(StringBuilder sb, string label, long kb) =>
        sb.Append(CultureInfo.InvariantCulture, $"{label}{kb,8} kB\n");
}
