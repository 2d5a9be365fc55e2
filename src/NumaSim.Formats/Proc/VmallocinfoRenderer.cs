using System.Globalization;
using System.Text;
using NumaSim.Model.Snapshots;

namespace NumaSim.Formats.Proc;

/// <summary>
/// /proc/vmallocinfo as mm/vmalloc.c's vmalloc_info_show prints it in 6.x (the former s_show), for vmalloc areas:
/// <code>
/// seq_printf(m, "0x%pK-0x%pK %7ld", v->addr, v->addr + v->size, v->size);
/// if (v->caller)   seq_printf(m, " %pS", v->caller);
/// if (v->nr_pages) seq_printf(m, " pages=%d", v->nr_pages);
/// if (v->flags &amp; VM_ALLOC) seq_puts(m, " vmalloc");
/// show_numa_info(m, v, counters);   /* " N%u=%u" per node with memory, only the non-zero ones */
/// seq_putc(m, '\n');
/// </code>
/// Since "mm/vmalloc: fix data race in show_numa_info()" an area still VM_UNINITIALIZED is skipped whole.
/// %pK prints the address as root sees it with kptr_restrict=1: 16 zero-padded lowercase hex digits. Since 6.9 the
/// busy areas live in nr_vmap_nodes trees (one per possible CPU, at most 128), an area in tree
/// (addr / (16 * PAGE_SIZE)) % nr_vmap_nodes, and the file lists tree 0 in address order, then tree 1, and so on:
/// sorted by address only on a one-CPU machine. No "unpurged vm_area" lines: the model frees without lazy purge.
/// " vpages" (the page array itself vmalloc'ed: more than PAGE_SIZE / sizeof(struct page *) pages) is not modelled.
/// </summary>
public static class VmallocinfoRenderer
{
    /// <summary>vmap_zone_size in pages: "Node partition is 16 pages" (vmap_init_nodes).</summary>
    private const int VmapZonePages = 16;

    public static string Render(VmallocSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var zoneSize = (ulong)VmapZonePages * (ulong)s.PageSize;
        var nodes = (ulong)Math.Max(1, s.VmapNodes);
        var sb = new StringBuilder();
        foreach (var v in s.Areas.Where(a => a.Populated).OrderBy(a => a.Address / zoneSize % nodes).ThenBy(a => a.Address))
        {
            sb.Append(CultureInfo.InvariantCulture, $"0x{v.Address:x16}-0x{v.End:x16} {v.Size,7}");
            if (!string.IsNullOrEmpty(v.Caller))
            {
                sb.Append(' ').Append(v.Caller);
            }
            if (v.NrPages != 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $" pages={v.NrPages}");
            }
            sb.Append(" vmalloc");
            for (var node = 0; node < v.NodePages.Count; node++)
            {
                if (v.NodePages[node] != 0)
                {
                    sb.Append(CultureInfo.InvariantCulture, $" N{node}={v.NodePages[node]}");
                }
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
