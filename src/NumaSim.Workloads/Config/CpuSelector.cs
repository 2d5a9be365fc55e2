using System.Globalization;
using NumaSim.Model.Topology;

namespace NumaSim.Workloads.Config;

/// <summary>
/// A scenario's `cpus` value: items separated by commas, each one of
/// <list type="bullet">
/// <item>a cpulist range, "0-3" or "8": those CPUs, each of which must exist;</item>
/// <item>"all": every CPU of the machine;</item>
/// <item>"node:N": every CPU of node N;</item>
/// <item>"node:N:K": the first K CPUs of node N in id order, or all of them if it has fewer;</item>
/// <item>"node:N:I-J": node N's CPUs at positions I to J, counting from 0; a position past its last CPU means its last CPU.</item>
/// </list>
/// N is a node id (which must exist), "last" (the highest node with CPUs: a machine's CXL expanders, memory-only,
/// usually come last) or "*" (every node). Numbers are what the user asked
/// for by name, so a missing one is an error; the node forms say "as many as this machine has", so a scenario written
/// with them runs on any machine, from an imported one-node laptop with 2 CPUs to eight nodes of 16.
/// </summary>
public static class CpuSelector
{
    public const string Forms = "a cpulist such as \"0-3\", \"all\", \"node:0\" (node 0's CPUs), \"node:1:4\" (the first 4 CPUs of node 1), "
        + "\"node:*:2\" (the first 2 of every node), \"node:last\" or \"node:0:2-3\" (node 0's third and fourth CPUs)";

    /// <summary>The CPUs <paramref name="text"/> selects, in id order; empty with <paramref name="problem"/> set when it is wrong here.</summary>
    public static IReadOnlyList<int> Select(string text, MachineTopology topology, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(topology);
        var cpus = new SortedSet<int>();
        problem = null;
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            problem = item switch
            {
                "all" => Add(cpus, topology.AllCpus),
                _ when item.StartsWith("node:", StringComparison.Ordinal) => SelectOnNodes(item, topology, cpus),
                _ => SelectNumbers(item, topology, cpus),
            };
            if (problem is not null)
            {
                return [];
            }
        }
        if (cpus.Count == 0)
        {
            problem = $"\"{text}\" selects no CPU on this machine (CPUs {CpuList.Format(topology.AllCpus)})";
            return [];
        }
        return [.. cpus];
    }

    private static string? SelectNumbers(string item, MachineTopology topology, SortedSet<int> cpus)
    {
        if (item.Length == 0 || !CpuList.TryParse(item, out var ids))
        {
            return $"expected {Forms}; found \"{item}\"";
        }
        var missing = ids.FirstOrDefault(c => c >= topology.CpuIds || topology.NodeOfCpu(c) < 0, -1);
        return missing >= 0
            ? $"CPU {missing} is not in the topology (CPUs {CpuList.Format(topology.AllCpus)}); \"node:N\", \"node:N:K\" or \"all\" fit any machine"
            : Add(cpus, ids);
    }

    private static string? SelectOnNodes(string item, MachineTopology topology, SortedSet<int> cpus)
    {
        var parts = item.Split(':');
        if (parts.Length > 3)
        {
            return $"expected {Forms}; found \"{item}\"";
        }
        string? problem = null;
        var nodes = parts[1] == "last"
            ? [.. topology.Nodes.Where(n => n.Cpus.Count > 0).Select(n => n.Id).TakeLast(1)]
            : NodeSelector.Nodes(parts[1], topology, out problem);
        if (problem is not null)
        {
            return $"\"{item}\": {problem}";
        }
        if (parts.Length == 2)
        {
            return Add(cpus, nodes.SelectMany(n => topology.Nodes[n].Cpus));
        }
        if (!TryPositions(parts[2], out var first, out var last))
        {
            return $"\"{item}\": after the node, expected a count K (its first K CPUs) or positions I-J; found \"{parts[2]}\"";
        }
        foreach (var node in nodes)
        {
            var own = topology.Nodes[node].Cpus.Order().ToList();
            if (own.Count > 0 && first < own.Count)
            {
                Add(cpus, own[first..(Math.Min(last, own.Count - 1) + 1)]);
            }
            else if (own.Count > 0)
            {
                cpus.Add(own[^1]); // I-J past the node's end: its last CPU
            }
        }
        return null;
    }

    /// <summary>"K" is positions 0 to K-1 (K at least 1); "I-J" positions I to J.</summary>
    private static bool TryPositions(string text, out int first, out int last)
    {
        first = last = 0;
        var range = text.Split('-');
        if (range.Length == 1)
        {
            if (!int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
            {
                return false;
            }
            last = count - 1;
            // A count never reaches past the node's end (first stays 0): "node:0:16" on 2 CPUs is both of them.
            return true;
        }
        return range.Length == 2
            && int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out first)
            && int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out last)
            && first <= last;
    }

    private static string? Add(SortedSet<int> cpus, IEnumerable<int> ids)
    {
        cpus.UnionWith(ids);
        return null;
    }
}
