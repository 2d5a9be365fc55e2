using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NumaSim.Formats.Json;
using NumaSim.Formats.Proc;
using NumaSim.Formats.Sys;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Tiering;
using NumaSim.Results;

namespace NumaSim.Formats.Output;

/// <summary>
/// Writes the output tree README.md shows under "Run" (proc/, sys/devices/system/node/, sys/devices/virtual/memory_tiering/,
/// numactl-hardware.txt, summary.json) and renders single files for `numasim proc NAME`.
/// </summary>
public static partial class OutputTreeWriter
{
    /// <summary>
    /// The names `numasim proc` accepts, in the order its usage lists them: meminfo is /proc/meminfo, node-meminfo
    /// every node's sys/devices/system/node/nodeN/meminfo one after the other.
    /// </summary>
    public static readonly IReadOnlyList<string> ProcNames =
        ["buddyinfo", "pagetypeinfo", "zoneinfo", "slabinfo", "vmstat", "vmallocinfo", "numastat", "meminfo", "node-meminfo", "hardware"];

    /// <summary>The files written under DIR/proc; the other names of ProcNames are files under sys/ and numactl-hardware.txt.</summary>
    private static readonly string[] ProcFiles = ["buddyinfo", "pagetypeinfo", "zoneinfo", "slabinfo", "vmstat", "vmallocinfo", "meminfo"];

    private const string NodeDir = "sys/devices/system/node";

    public static void Write(string dir, MachineSnapshot s, RunSummary r)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(r);

        foreach (var name in ProcFiles)
        {
            AtomicFile.WriteAllText(Path.Combine(dir, "proc", name), RenderProc(name, s));
        }

        var nodeRoot = Path.Combine(dir, NodeDir);
        foreach (var state in NodeStateRenderer.All)
        {
            AtomicFile.WriteAllText(Path.Combine(nodeRoot, NodeStateRenderer.FileName(state)), NodeStateRenderer.Render(s, state));
        }
        RemoveStaleNodeDirectories(nodeRoot, s);
        foreach (var node in s.NodeIds())
        {
            var nodeDir = Path.Combine(nodeRoot, "node" + node.ToString(CultureInfo.InvariantCulture));
            AtomicFile.WriteAllText(Path.Combine(nodeDir, "numastat"), NodeNumastatRenderer.Render(s, node));
            AtomicFile.WriteAllText(Path.Combine(nodeDir, "distance"), NodeDistanceRenderer.Render(s, node));
            AtomicFile.WriteAllText(Path.Combine(nodeDir, "cpulist"), NodeCpulistRenderer.Render(s, node));
            AtomicFile.WriteAllText(Path.Combine(nodeDir, "cpumap"), NodeCpumapRenderer.Render(s, node));
            AtomicFile.WriteAllText(Path.Combine(nodeDir, "meminfo"), NodeMeminfoRenderer.Render(s, node));
            if (s.Topology.Nodes[node].Access is { } access)
            {
                foreach (var (name, text) in NodeAccessRenderer.Files(access))
                {
                    AtomicFile.WriteAllText(Path.Combine(nodeDir, NodeAccessRenderer.Directory, name), text);
                }
            }
        }

        WriteMemoryTiers(dir, s);
        AtomicFile.WriteAllText(Path.Combine(dir, "numactl-hardware.txt"), NumactlHardwareRenderer.Render(s));
        AtomicFile.WriteAllText(Path.Combine(dir, "summary.json"), SummaryJson.Render(r, s));
    }

    /// <summary>
    /// The memory tiers. Without HMAT figures every node with memory is in memory_tier4, and the kernel shows that
    /// tier too (memory_tier_late_init puts every node in the default DRAM type). A tier of an earlier run into the
    /// same directory goes, as stale nodes do.
    /// </summary>
    private static void WriteMemoryTiers(string dir, MachineSnapshot s)
    {
        var root = Path.Combine(dir, MemoryTierRenderer.Directory);
        var files = MemoryTierRenderer.Files(MemoryTiers.Establish(s.Topology)).ToList();
        if (Directory.Exists(root))
        {
            var current = files.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var path in Directory.EnumerateDirectories(root).Where(p => MemoryTierDirectoryName().IsMatch(Path.GetFileName(p)) && !current.Contains(Path.GetFileName(p))))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        foreach (var (name, nodelist) in files)
        {
            AtomicFile.WriteAllText(Path.Combine(root, name, "nodelist"), nodelist);
        }
    }

    /// <summary>Only DIR/summary.json: a run that failed before it could gather the machine's state says what it had.</summary>
    public static void WriteSummaryOnly(string dir, MachineSnapshot s, RunSummary r) =>
        AtomicFile.WriteAllText(Path.Combine(dir, "summary.json"), SummaryJson.Render(r, s));

    /// <summary>DIR/proc/slabinfo in the middle of a run (the whole tree follows at the end).</summary>
    public static void WriteLiveSlabinfo(string dir, IReadOnlyList<SlabCacheSnapshot> caches) =>
        AtomicFile.WriteAllText(Path.Combine(dir, "proc", "slabinfo"), SlabinfoRenderer.Render(caches));

    /// <summary>One file for `numasim proc NAME`; NAME is one of <see cref="ProcNames"/>.</summary>
    /// <exception cref="ArgumentException">NAME is not one of them.</exception>
    public static string RenderProc(string name, MachineSnapshot s)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(s);
        return name switch
        {
            "buddyinfo" => BuddyinfoRenderer.Render(s),
            "pagetypeinfo" => PagetypeinfoRenderer.Render(s),
            "zoneinfo" => ZoneinfoRenderer.Render(s),
            "slabinfo" => SlabinfoRenderer.Render(s),
            "vmstat" => VmstatRenderer.Render(s),
            "vmallocinfo" => s.Vmalloc is { } vmalloc ? VmallocinfoRenderer.Render(vmalloc) : "",
            "numastat" => NumastatToolRenderer.Render(s),
            "meminfo" => MeminfoRenderer.Render(s),
            "node-meminfo" => ConcatenatedNodeMeminfo(s),
            "hardware" => NumactlHardwareRenderer.Render(s),
            _ => throw new ArgumentException(
                $"unknown proc file '{name}'; valid names: {string.Join(' ', ProcNames)}", nameof(name)),
        };
    }

    private static string ConcatenatedNodeMeminfo(MachineSnapshot s)
    {
        var sb = new StringBuilder();
        foreach (var node in s.NodeIds())
        {
            sb.Append(NodeMeminfoRenderer.Render(s, node));
        }
        return sb.ToString();
    }

    /// <summary>
    /// A previous run into the same directory may have had more nodes; libnuma counts nodeN
    /// directories, so those must go. Only directories named exactly node&lt;digits&gt; are touched.
    /// </summary>
    private static void RemoveStaleNodeDirectories(string nodeRoot, MachineSnapshot s)
    {
        var current = s.NodeIds().Select(n => "node" + n.ToString(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateDirectories(nodeRoot))
        {
            var name = Path.GetFileName(path);
            if (NodeDirectoryName().IsMatch(name) && !current.Contains(name))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }

    [GeneratedRegex("^node[0-9]+$")]
    private static partial Regex NodeDirectoryName();

    [GeneratedRegex("^memory_tier[0-9]+$")]
    private static partial Regex MemoryTierDirectoryName();
}
