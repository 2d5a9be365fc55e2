using NumaSim.Formats.Proc;
using NumaSim.Model.Stats;

namespace NumaSim.Oracle.Compare;

/// <summary>
/// Which counters the simulator models: the renderers print every key the kernel prints, 0 where the model
/// tracks nothing, so a 0 on the simulated side means "not modelled" unless the model counts it: the items of
/// Model.Stats.CountedItems.
/// </summary>
public sealed class ModelledCounters
{
    /// <summary>node meminfo fields and the vmstat items they print (drivers/base/node.c node_read_meminfo).</summary>
    private static readonly Dictionary<string, string[]> MeminfoSources = new(StringComparer.Ordinal)
    {
        ["MemTotal"] = ["nr_free_pages"], ["MemFree"] = ["nr_free_pages"], ["MemUsed"] = ["nr_free_pages"],
        ["SwapCached"] = ["nr_swapcached"],
        ["Active"] = ["nr_active_anon", "nr_active_file"], ["Inactive"] = ["nr_inactive_anon", "nr_inactive_file"],
        ["Active(anon)"] = ["nr_active_anon"], ["Inactive(anon)"] = ["nr_inactive_anon"],
        ["Active(file)"] = ["nr_active_file"], ["Inactive(file)"] = ["nr_inactive_file"],
        ["Unevictable"] = ["nr_unevictable"], ["Mlocked"] = ["nr_mlock"], ["Dirty"] = ["nr_dirty"],
        ["Writeback"] = ["nr_writeback"], ["FilePages"] = ["nr_file_pages"], ["Mapped"] = ["nr_mapped"],
        ["AnonPages"] = ["nr_anon_pages"], ["Shmem"] = ["nr_shmem"], ["KernelStack"] = ["nr_kernel_stack"],
        ["PageTables"] = ["nr_page_table_pages"], ["SecPageTables"] = ["nr_sec_page_table_pages"],
        ["KReclaimable"] = ["nr_slab_reclaimable", "nr_kernel_misc_reclaimable"],
        ["Slab"] = ["nr_slab_reclaimable", "nr_slab_unreclaimable"],
        ["SReclaimable"] = ["nr_slab_reclaimable"], ["SUnreclaim"] = ["nr_slab_unreclaimable"],
        ["AnonHugePages"] = ["nr_anon_transparent_hugepages"], ["ShmemHugePages"] = ["nr_shmem_hugepages"],
        ["ShmemPmdMapped"] = ["nr_shmem_pmdmapped"], ["FileHugePages"] = ["nr_file_hugepages"],
        ["FilePmdMapped"] = ["nr_file_pmdmapped"],
    };

    private readonly HashSet<string> _vmstat;

    private ModelledCounters(HashSet<string> vmstat) => _vmstat = vmstat;

    public static ModelledCounters Counted { get; } = Build();

    private static ModelledCounters Build()
    {
        var vmstat = new HashSet<string>(StringComparer.Ordinal);
        vmstat.UnionWith(CountedItems.Zone.Select(VmstatItemNames.Name));
        vmstat.UnionWith(CountedItems.Numa.Select(VmstatItemNames.Name));
        vmstat.UnionWith(CountedItems.Node.Select(VmstatItemNames.Name));
        vmstat.UnionWith(CountedItems.VmEvents.Select(VmstatItemNames.Name));
        return new ModelledCounters(vmstat);
    }

    /// <summary>Whether the simulator computes this counter (a CounterSet key).</summary>
    public bool Models(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split(' ');
        return parts[0] switch
        {
            "numastat" => true,
            "vmstat" => _vmstat.Contains(parts[1]),
            "meminfo" => MeminfoSources.TryGetValue(parts[2], out var sources) && sources.All(_vmstat.Contains),
            _ => false,
        };
    }
}
