using System.Globalization;
using System.Text;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Stats;

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
        long Stat(NodeStatItem item) => n.Stat(item);

        var total = n.ManagedPages;
        var free = n.FreePages;
        var reclaimable = Stat(NodeStatItem.NrSlabReclaimable);
        var unreclaimable = Stat(NodeStatItem.NrSlabUnreclaimable);

        var sb = new StringBuilder();
        void Line(string label, long kb) =>
            sb.Append(CultureInfo.InvariantCulture, $"Node {node} {label + ":",-16}{kb,8} kB\n");

        Line("MemTotal", Kb(total));
        Line("MemFree", Kb(free));
        Line("MemUsed", Kb(total - free));
        Line("SwapCached", Kb(Stat(NodeStatItem.NrSwapcached)));
        Line("Active", Kb(Stat(NodeStatItem.NrActiveAnon) + Stat(NodeStatItem.NrActiveFile)));
        Line("Inactive", Kb(Stat(NodeStatItem.NrInactiveAnon) + Stat(NodeStatItem.NrInactiveFile)));
        Line("Active(anon)", Kb(Stat(NodeStatItem.NrActiveAnon)));
        Line("Inactive(anon)", Kb(Stat(NodeStatItem.NrInactiveAnon)));
        Line("Active(file)", Kb(Stat(NodeStatItem.NrActiveFile)));
        Line("Inactive(file)", Kb(Stat(NodeStatItem.NrInactiveFile)));
        Line("Unevictable", Kb(Stat(NodeStatItem.NrUnevictable)));
        Line("Mlocked", Kb(n.Zones.Sum(z => z.Stat(ZoneStatItem.NrMlock))));
        Line("Dirty", Kb(Stat(NodeStatItem.NrDirty)));
        Line("Writeback", Kb(Stat(NodeStatItem.NrWriteback)));
        Line("FilePages", Kb(Stat(NodeStatItem.NrFilePages)));
        Line("Mapped", Kb(Stat(NodeStatItem.NrMapped)));
        Line("AnonPages", Kb(Stat(NodeStatItem.NrAnonPages)));
        Line("Shmem", Kb(Stat(NodeStatItem.NrShmem)));
        Line("KernelStack", Stat(NodeStatItem.NrKernelStack)); // NR_KERNEL_STACK_KB: already in kB
        Line("PageTables", Kb(Stat(NodeStatItem.NrPageTablePages)));
        Line("SecPageTables", Kb(Stat(NodeStatItem.NrSecPageTablePages)));
        Line("NFS_Unstable", 0);
        Line("Bounce", 0);
        Line("WritebackTmp", 0);
        Line("KReclaimable", Kb(reclaimable + Stat(NodeStatItem.NrKernelMiscReclaimable)));
        Line("Slab", Kb(reclaimable + unreclaimable));
        Line("SReclaimable", Kb(reclaimable));
        Line("SUnreclaim", Kb(unreclaimable));
        Line("AnonHugePages", Kb(Stat(NodeStatItem.NrAnonTransparentHugepages)));
        Line("ShmemHugePages", Kb(Stat(NodeStatItem.NrShmemHugepages)));
        Line("ShmemPmdMapped", Kb(Stat(NodeStatItem.NrShmemPmdmapped)));
        Line("FileHugePages", Kb(Stat(NodeStatItem.NrFileHugepages)));
        Line("FilePmdMapped", Kb(Stat(NodeStatItem.NrFilePmdmapped)));

        // hugetlb pools are not modelled: no persistent huge pages on any node.
        sb.Append(CultureInfo.InvariantCulture, $"Node {node} HugePages_Total: {0,5}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Node {node} HugePages_Free:  {0,5}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Node {node} HugePages_Surp:  {0,5}\n");
        return sb.ToString();
    }
}
