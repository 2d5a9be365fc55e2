using System.Globalization;
using System.Text.RegularExpressions;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Import;

/// <summary>
/// Builds a MachineTopology from a real machine's files, for `numasim topology import ROOT`.
/// ROOT is either a snapshot laid out as tests/data/reference/procfs-6.18 (zoneinfo, numactl-hardware.txt,
/// sys-node&lt;N&gt;/{cpulist,distance}) or a live system root (ROOT/proc/zoneinfo,
/// ROOT/sys/devices/system/node/node&lt;N&gt;/{cpulist,distance}). Zones come from zoneinfo;
/// CPUs and distances from the sysfs files when present, else from numactl-hardware.txt; HMAT's
/// access attributes from node&lt;N&gt;/access0/initiators when the firmware gave them. A node with
/// memory and no CPUs (a CXL expander) is kept as a memory-only node.
/// </summary>
public static partial class ProcfsTopologyImporter
{
    /// <exception cref="FormatException">
    /// A file is missing or garbled; the one-line message names the file, the line and the fault.
    /// </exception>
    public static MachineTopology Import(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var layout = Layout.Detect(root);
        var zoneinfo = SourceText.Read(layout.Zoneinfo);
        var zones = ZoneinfoZones.Parse(zoneinfo);
        var numactlText = layout.NumactlHardware is null ? null : SourceText.TryRead(layout.NumactlHardware);
        var numactl = numactlText is null ? null : NumactlHardwareText.Parse(numactlText);

        var nodeIds = zones.ByNode.Keys
            .Union(layout.NodeDirectories().Keys)
            .Union(numactl?.NodesWithCpuLine ?? [])
            .Order()
            .ToList();
        for (var i = 0; i < nodeIds.Count; i++)
        {
            if (nodeIds[i] != i)
            {
                throw zoneinfo.Error(zones.FirstLineOf(nodeIds[i]),
                    $"node {nodeIds[i]} follows node {i - 1}: NumaSim needs node ids numbered 0..N-1");
            }
        }

        var cpus = ReadCpus(layout, numactl, nodeIds);
        var distance = ReadDistances(layout, numactl, nodeIds);
        var nodes = nodeIds
            .Select(id => new NodeSpec(id, cpus[id], zones.ByNode.TryGetValue(id, out var z) ? z : []) { Access = ReadAccess(layout, id) })
            .ToList();
        return new MachineTopology("imported", Architecture.X86_64, nodes, distance, VmTunables.Default) { SwapBytes = ReadSwap(layout) };
    }

    // The swap area the machine had on (meminfo's SwapTotal, which leaves out the header page mkswap writes: the area is
    // a page more, as `swap = ` sizes it); 0 without one or without a meminfo.
    private static long ReadSwap(Layout layout)
    {
        var meminfo = layout.Meminfo is null ? null : SourceText.TryRead(layout.Meminfo);
        if (meminfo is null)
        {
            return 0;
        }
        for (var i = 0; i < meminfo.Lines.Count; i++)
        {
            var m = SwapTotalPattern().Match(meminfo.Lines[i]);
            if (m.Success)
            {
                var kb = long.Parse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture);
                return kb == 0 ? 0 : (kb + Architecture.X86_64.PageSize / 1024) * 1024;
            }
        }
        return 0;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^SwapTotal:\s+(\d+) kB$")]
    private static partial System.Text.RegularExpressions.Regex SwapTotalPattern();

    private static Dictionary<int, IReadOnlyList<int>> ReadCpus(Layout layout, NumactlHardwareText? numactl, List<int> nodeIds)
    {
        var result = new Dictionary<int, IReadOnlyList<int>>();
        var owner = new Dictionary<int, int>();
        foreach (var node in nodeIds)
        {
            var path = layout.NodeFile(node, "cpulist");
            var sys = SourceText.TryRead(path);
            IReadOnlyList<int> cpus;
            FormatException Duplicate(int cpu) => sys is not null
                ? sys.Error(1, $"CPU {cpu} is also listed for node {owner[cpu]}")
                : numactl!.Source.Error(numactl.CpusOf(node)!.Value.Line, $"CPU {cpu} is also listed for node {owner[cpu]}");

            if (sys is not null)
            {
                cpus = ParseCpulist(sys);
            }
            else if (numactl?.CpusOf(node) is { } fromNumactl)
            {
                cpus = fromNumactl.Cpus;
            }
            else if (numactl is not null)
            {
                throw numactl.Source.Error(Math.Max(1, numactl.Source.Lines.Count), $"no 'node {node} cpus:' line and no {path}");
            }
            else
            {
                throw new FormatException($"{path}: file not found (and no numactl-hardware.txt to take node {node}'s CPUs from)");
            }

            foreach (var cpu in cpus)
            {
                if (!owner.TryAdd(cpu, node))
                {
                    throw Duplicate(cpu);
                }
            }
            result[node] = cpus;
        }
        return result;
    }

    /// <summary>The node's HMAT attributes as its nearest initiators see them (ns, MB/s), or null without HMAT.</summary>
    private static NodeAccess? ReadAccess(Layout layout, int node)
    {
        string[] names = ["read_latency", "write_latency", "read_bandwidth", "write_bandwidth"];
        var files = names.Select(n => SourceText.TryRead(layout.NodeFile(node, Path.Combine("access0", "initiators", n)))).ToList();
        if (files.All(f => f is null))
        {
            return null;
        }
        var values = new long[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            var file = files[i] ?? throw new FormatException(
                $"{layout.NodeFile(node, Path.Combine("access0", "initiators", names[i]))}: file not found (the other HMAT attributes of node {node} are there)");
            var text = string.Join(' ', file.Lines).Trim();
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] <= 0)
            {
                throw file.Error(1, $"'{text}' is not a positive number");
            }
        }
        return new NodeAccess(values[0], values[1], values[2], values[3]);
    }

    private static IReadOnlyList<int> ParseCpulist(SourceText file)
    {
        var text = string.Join('\n', file.Lines);
        try
        {
            return CpuList.Parse(text);
        }
        catch (FormatException e)
        {
            throw file.Error(1, e.Message, e);
        }
    }

    private static int[][] ReadDistances(Layout layout, NumactlHardwareText? numactl, List<int> nodeIds)
    {
        var files = nodeIds.Select(n => (Node: n, Path: layout.NodeFile(n, "distance"))).ToList();
        if (files.All(f => File.Exists(f.Path)))
        {
            return [.. files.Select(f => DistanceRowFromSys(SourceText.Read(f.Path), nodeIds.Count))];
        }
        if (numactl?.DistanceColumns is { } columns)
        {
            return DistancesFromNumactl(numactl, columns, nodeIds);
        }
        if (nodeIds.Count == 1)
        {
            return [[MachineTopology.LocalDistance]]; // one node needs no table: it is local to itself
        }
        var missing = files.First(f => !File.Exists(f.Path)).Path;
        throw new FormatException($"{missing}: file not found (and no 'node distances:' matrix in numactl-hardware.txt)");
    }

    private static int[] DistanceRowFromSys(SourceText file, int nodeCount)
    {
        var tokens = string.Join(' ', file.Lines).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length != nodeCount)
        {
            throw file.Error(1, $"has {tokens.Length} distances, the machine has {nodeCount} nodes");
        }
        return [.. tokens.Select(t => PositiveDistance(file, 1, t))];
    }

    private static int[][] DistancesFromNumactl(NumactlHardwareText numactl, int[] columns, List<int> nodeIds)
    {
        var text = numactl.Source;
        if (!columns.SequenceEqual(nodeIds))
        {
            throw text.Error(numactl.DistanceHeaderLine,
                $"distance header names nodes {string.Join(',', columns)}, the machine has {string.Join(',', nodeIds)}");
        }
        var matrix = new int[nodeIds.Count][];
        foreach (var node in nodeIds)
        {
            var (row, line) = numactl.DistanceRow(node)
                ?? throw text.Error(numactl.DistanceHeaderLine, $"no distance row for node {node}");
            matrix[node] = [.. row.Select(d => d > 0 ? d : throw text.Error(line, $"distance {d} is not positive"))];
        }
        return matrix;
    }

    private static int PositiveDistance(SourceText file, int line, string token) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d > 0
            ? d
            : throw file.Error(line, $"'{token}' is not a positive distance");

    [GeneratedRegex(@"^(?:sys-)?node(\d+)$")]
    private static partial Regex NodeDirectoryPattern();

    /// <summary>Where the files of one kind of ROOT live.</summary>
    private sealed class Layout
    {
        private readonly string _nodeParent;
        private readonly string _nodePrefix;

        private Layout(string zoneinfo, string? numactlHardware, string nodeParent, string nodePrefix, string? meminfo)
        {
            Meminfo = meminfo;
            Zoneinfo = zoneinfo;
            NumactlHardware = numactlHardware;
            _nodeParent = nodeParent;
            _nodePrefix = nodePrefix;
        }

        public string Zoneinfo { get; }
        public string? NumactlHardware { get; }
        public string? Meminfo { get; }

        public static Layout Detect(string root)
        {
            var snapshotZoneinfo = Path.Combine(root, "zoneinfo");
            if (File.Exists(snapshotZoneinfo))
            {
                return new Layout(snapshotZoneinfo, Path.Combine(root, "numactl-hardware.txt"), root, "sys-node", Path.Combine(root, "meminfo"));
            }
            var liveZoneinfo = Path.Combine(root, "proc", "zoneinfo");
            if (File.Exists(liveZoneinfo))
            {
                return new Layout(liveZoneinfo, null, Path.Combine(root, "sys", "devices", "system", "node"), "node", Path.Combine(root, "proc", "meminfo"));
            }
            throw new FormatException(
                $"{snapshotZoneinfo}: file not found (nor {liveZoneinfo}): ROOT must be a procfs snapshot or a system root");
        }

        public string NodeFile(int node, string name) =>
            Path.Combine(_nodeParent, _nodePrefix + node.ToString(CultureInfo.InvariantCulture), name);

        /// <summary>The node&lt;N&gt; (or sys-node&lt;N&gt;) directories present, by node id.</summary>
        public Dictionary<int, string> NodeDirectories()
        {
            var result = new Dictionary<int, string>();
            if (!Directory.Exists(_nodeParent))
            {
                return result;
            }
            foreach (var dir in Directory.EnumerateDirectories(_nodeParent, _nodePrefix + "*"))
            {
                var m = NodeDirectoryPattern().Match(Path.GetFileName(dir));
                if (m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    result[id] = dir;
                }
            }
            return result;
        }
    }
}
