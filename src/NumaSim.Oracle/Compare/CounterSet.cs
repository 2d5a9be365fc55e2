using System.Globalization;
using System.Text.RegularExpressions;

namespace NumaSim.Oracle.Compare;

/// <summary>
/// The counters of one moment, read from files laid out as a live root (proc/vmstat,
/// sys/devices/system/node/nodeN/{numastat,meminfo}): the guest's dumps and the simulator's output tree are
/// read by the same code, so both sides are compared as the kernel prints them. Keys: "numastat node0 numa_hit",
/// "vmstat pgfault", "meminfo node1 MemFree" (kB, or pages for HugePages_*).
/// </summary>
public sealed partial class CounterSet
{
    private CounterSet(IReadOnlyDictionary<string, long> values) => Values = values;

    public IReadOnlyDictionary<string, long> Values { get; }

    /// <exception cref="OracleException">The directory lacks proc/vmstat or a line is not "name value".</exception>
    public static CounterSet Read(string root)
    {
        var values = new SortedDictionary<string, long>(StringComparer.Ordinal);
        ReadPairs(Path.Combine(root, "proc", "vmstat"), required: true, (name, value) => values[$"vmstat {name}"] = value);
        var nodes = Path.Combine(root, "sys", "devices", "system", "node");
        if (Directory.Exists(nodes))
        {
            foreach (var dir in Directory.EnumerateDirectories(nodes, "node*").Order(StringComparer.Ordinal))
            {
                var node = Path.GetFileName(dir);
                if (!NodeName().IsMatch(node))
                {
                    continue;
                }
                ReadPairs(Path.Combine(dir, "numastat"), required: false, (name, value) => values[$"numastat {node} {name}"] = value);
                ReadMeminfo(Path.Combine(dir, "meminfo"), node, values);
            }
        }
        return new CounterSet(values);
    }

    /// <summary>This set minus another, key by key (a key missing on one side counts as 0).</summary>
    public IReadOnlyDictionary<string, long> Minus(CounterSet before)
    {
        ArgumentNullException.ThrowIfNull(before);
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var key in Values.Keys.Union(before.Values.Keys))
        {
            result[key] = Values.GetValueOrDefault(key) - before.Values.GetValueOrDefault(key);
        }
        return result;
    }

    private static void ReadPairs(string path, bool required, Action<string, long> add)
    {
        if (!File.Exists(path))
        {
            if (required)
            {
                throw new OracleException($"{path}: not found");
            }
            return;
        }
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var parts = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }
            if (parts.Length != 2 || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                throw new OracleException($"{path}:{i + 1}: expected 'name value', found '{lines[i]}'");
            }
            add(parts[0], value);
        }
    }

    /// <summary>"Node 0 MemFree:   123 kB" and "Node 0 HugePages_Free:  0".</summary>
    private static void ReadMeminfo(string path, string node, IDictionary<string, long> values)
    {
        if (!File.Exists(path))
        {
            return;
        }
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }
            var m = MeminfoLine().Match(lines[i]);
            if (!m.Success)
            {
                throw new OracleException($"{path}:{i + 1}: expected 'Node N Field: value [kB]', found '{lines[i]}'");
            }
            values[$"meminfo {node} {m.Groups[1].Value}"] = long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }
    }

    [GeneratedRegex(@"^node\d+$")]
    private static partial Regex NodeName();

    [GeneratedRegex(@"^Node \d+ (\S+):\s+(\d+)(?: kB)?\s*$")]
    private static partial Regex MeminfoLine();
}
