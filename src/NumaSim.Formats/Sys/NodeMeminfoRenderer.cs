using System.Globalization;
using System.Text;
using NumaSim.Model.Snapshots;

namespace NumaSim.Formats.Sys;

/// <summary>
/// /sys/devices/system/node/nodeN/meminfo (drivers/base/node.c node_read_meminfo, then
/// hugetlb_report_node_meminfo). Each line is "Node %d " + "Label:" padded to 16 + "%8lu kB";
/// values come from the node's stats the way the kernel derives them, 0 where untracked.
/// </summary>
public static class NodeMeminfoRenderer
{
    public static string Render(MachineSnapshot s, int node)
    {
        ArgumentNullException.ThrowIfNull(s);
        var n = s.NodeOrEmpty(node);
        long Kb(long pages) => s.PagesToKb(pages);
        long Stat(string name) => n.Stat(name);

        var total = n.ManagedPages;
        var free = n.FreePages;
        var reclaimable = Stat("nr_slab_reclaimable");
        var unreclaimable = Stat("nr_slab_unreclaimable");

        var sb = new StringBuilder();
        void Line(string label, long kb) =>
            sb.Append(CultureInfo.InvariantCulture, $"Node {node} {label + ":",-16}{kb,8} kB\n");

        Line("MemTotal", Kb(total));
        Line("MemFree", Kb(free));
        Line("MemUsed", Kb(total - free));
        Line("SwapCached", Kb(Stat("nr_swapcached")));
        Line("Active", Kb(Stat("nr_active_anon") + Stat("nr_active_file")));
        Line("Inactive", Kb(Stat("nr_inactive_anon") + Stat("nr_inactive_file")));
        Line("Active(anon)", Kb(Stat("nr_active_anon")));
        Line("Inactive(anon)", Kb(Stat("nr_inactive_anon")));
        Line("Active(file)", Kb(Stat("nr_active_file")));
        Line("Inactive(file)", Kb(Stat("nr_inactive_file")));
        Line("Unevictable", Kb(Stat("nr_unevictable")));
        Line("Mlocked", Kb(Stat("nr_mlock")));
        Line("Dirty", Kb(Stat("nr_dirty")));
        Line("Writeback", Kb(Stat("nr_writeback")));
        Line("FilePages", Kb(Stat("nr_file_pages")));
        Line("Mapped", Kb(Stat("nr_mapped")));
        Line("AnonPages", Kb(Stat("nr_anon_pages")));
        Line("Shmem", Kb(Stat("nr_shmem")));
        Line("KernelStack", Stat("nr_kernel_stack")); // NR_KERNEL_STACK_KB: already in kB
        Line("PageTables", Kb(Stat("nr_page_table_pages")));
        Line("SecPageTables", Kb(Stat("nr_sec_page_table_pages")));
        Line("NFS_Unstable", 0);
        Line("Bounce", 0);
        Line("WritebackTmp", 0);
        Line("KReclaimable", Kb(reclaimable + Stat("nr_kernel_misc_reclaimable")));
        Line("Slab", Kb(reclaimable + unreclaimable));
        Line("SReclaimable", Kb(reclaimable));
        Line("SUnreclaim", Kb(unreclaimable));
        Line("AnonHugePages", Kb(Stat("nr_anon_transparent_hugepages")));
        Line("ShmemHugePages", Kb(Stat("nr_shmem_hugepages")));
        Line("ShmemPmdMapped", Kb(Stat("nr_shmem_pmdmapped")));
        Line("FileHugePages", Kb(Stat("nr_file_hugepages")));
        Line("FilePmdMapped", Kb(Stat("nr_file_pmdmapped")));

        // hugetlb pools are not modelled: no persistent huge pages on any node.
        sb.Append(CultureInfo.InvariantCulture, $"Node {node} HugePages_Total: {0,5}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Node {node} HugePages_Free:  {0,5}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Node {node} HugePages_Surp:  {0,5}\n");
        return sb.ToString();
    }
}
