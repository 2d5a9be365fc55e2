using System.Text.RegularExpressions;

namespace NumaSim.Formats.Output;

/// <summary>
/// Holds an output tree against a real Linux 6.18 snapshot (tests/data/reference/procfs-6.18): the same files, field
/// names, order and alignment. It checks layout, not values: buddyinfo's "Node %d, zone %8s " rows, pagetypeinfo's
/// header, each zoneinfo block's key sequence against a real block's, slabinfo's version 2.1 header and
/// "%-17s %6lu %6lu %6u %4u %4d" columns, vmstat's keys in the kernel's order, and every node's sysfs files.
/// </summary>
public static partial class LinuxLayoutCheck
{
    private static readonly string[] KmallocCaches = ["kmalloc-8", "kmalloc-96", "kmalloc-192", "kmalloc-1k", "kmalloc-8k", "dma-kmalloc-64"];

    /// <summary>Every layout difference found, in file order; empty when the tree has the kernel's layout.</summary>
    public static IReadOnlyList<string> Problems(string referenceDir, string outputDir)
    {
        var problems = new List<string>();
        string[]? Need(string relative)
        {
            var path = Path.Combine(outputDir, relative);
            if (File.Exists(path))
            {
                return Lines(path);
            }
            problems.Add($"missing {relative}");
            return null;
        }
        string[] Reference(string relative) => Lines(Path.Combine(referenceDir, relative));

        if (Need("proc/buddyinfo") is { } buddy)
        {
            CheckBuddyinfo(buddy, problems);
        }
        if (Need("proc/pagetypeinfo") is { } pagetype)
        {
            CheckPagetypeinfo(pagetype, Reference("pagetypeinfo"), problems);
        }
        if (Need("proc/zoneinfo") is { } zoneinfo)
        {
            CheckZoneinfo(zoneinfo, Reference("zoneinfo"), problems);
        }
        if (Need("proc/slabinfo") is { } slabinfo)
        {
            CheckSlabinfo(slabinfo, Reference("slabinfo"), problems);
        }
        if (Need("proc/vmstat") is { } vmstat)
        {
            CheckVmstat(vmstat, Reference("vmstat"), problems);
        }
        var nodeRoot = Path.Combine(outputDir, "sys", "devices", "system", "node");
        var nodes = Directory.Exists(nodeRoot)
            ? Directory.GetDirectories(nodeRoot, "node*").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];
        if (nodes.Count == 0)
        {
            problems.Add("no sys/devices/system/node/node*");
        }
        foreach (var node in nodes)
        {
            CheckNode($"sys/devices/system/node/{node}", Need, Reference, problems);
        }
        if (Need("numactl-hardware.txt") is { } hardware
            && (hardware.Length == 0 || !NumactlFirstLine().IsMatch(hardware[0]) || !hardware.Contains("node distances:")))
        {
            problems.Add("numactl-hardware.txt layout differs");
        }
        return problems;
    }

    private static void CheckBuddyinfo(string[] lines, List<string> problems)
    {
        var bad = lines.FirstOrDefault(l => !IsBuddyinfoRow(l, 11));
        if (bad is not null || lines.Length == 0)
        {
            problems.Add($"buddyinfo layout: {(bad is null ? "empty" : $"'{bad}'")}");
        }
    }

    /// <summary>"Node %d, zone %8s " followed by <paramref name="counts"/> fields of "%6lu ".</summary>
    private static bool IsBuddyinfoRow(string line, int counts)
    {
        var head = NodeZonePrefix().Match(line);
        if (!head.Success)
        {
            return false;
        }
        var rest = line[head.Length..];
        if (rest.Length < 9 || !PaddedWord().IsMatch(rest[..8]) || rest[8] != ' ')
        {
            return false;
        }
        rest = rest[9..];
        if (rest.Length != 7 * counts)
        {
            return false;
        }
        return Enumerable.Range(0, counts).All(i => PaddedCount().IsMatch(rest.Substring(7 * i, 7)));
    }

    private static void CheckPagetypeinfo(string[] lines, string[] reference, List<string> problems)
    {
        if (!lines.Take(4).SequenceEqual(reference.Take(4)))
        {
            problems.Add($"pagetypeinfo header differs: '{string.Join("\\n", lines.Take(4))}'");
        }
        var rows = lines.Where(l => l.StartsWith("Node", StringComparison.Ordinal) && l.Contains("type", StringComparison.Ordinal)).ToList();
        if (rows.Count == 0 || !rows.All(PagetypeRow().IsMatch))
        {
            problems.Add("pagetypeinfo free-page rows malformed");
        }
        if (!lines.Any(l => l.StartsWith("Number of blocks type", StringComparison.Ordinal)))
        {
            problems.Add("pagetypeinfo lacks 'Number of blocks type'");
        }
    }

    private static void CheckZoneinfo(string[] lines, string[] reference, List<string> problems)
    {
        var real = ZoneBlocks(reference).Select(ZoneShape).ToList();
        var blocks = ZoneBlocks(lines);
        if (blocks.Count == 0)
        {
            problems.Add("zoneinfo has no zone blocks");
        }
        foreach (var block in blocks)
        {
            if (!ZoneinfoHeader().IsMatch(block[0]))
            {
                problems.Add($"zoneinfo block header is not 'Node %d, zone %8s': '{block[0]}'");
                return;
            }
            var shape = ZoneShape(block);
            if (!real.Any(r => r.SequenceEqual(shape)))
            {
                var near = real.MinBy(r => r.ToHashSet().SymmetricExceptWithCount(shape))!;
                var diff = near.Where(k => !shape.Contains(k)).Take(3).ToList();
                if (diff.Count == 0)
                {
                    diff = [.. shape.Where(k => !near.Contains(k)).Take(3)];
                }
                problems.Add($"zoneinfo block '{block[0].Trim()}' keys differ from every real block (e.g. {string.Join(", ", diff)})");
                return;
            }
        }
    }

    private static List<List<string>> ZoneBlocks(string[] lines)
    {
        var blocks = new List<List<string>>();
        List<string>? current = null;
        foreach (var line in lines)
        {
            if (line.StartsWith("Node ", StringComparison.Ordinal))
            {
                current = [line];
                blocks.Add(current);
            }
            else
            {
                current?.Add(line);
            }
        }
        return blocks;
    }

    /// <summary>A zone block's keys in order, with the repeated per-CPU pageset groups folded into the first CPU's.</summary>
    private static List<string> ZoneShape(List<string> block)
    {
        string[] perCpu = ["cpu", "count", "high", "batch", "high_min", "high_max", "vm"];
        var keys = new List<string>();
        var cpus = 0;
        foreach (var line in block.Skip(1))
        {
            var text = line.Trim();
            if (text.Length == 0)
            {
                continue;
            }
            var key = text.Split(':')[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
            if (key == "cpu")
            {
                cpus++;
            }
            if (cpus > 1 && perCpu.Contains(key))
            {
                continue;
            }
            keys.Add(key);
        }
        return keys;
    }

    private static void CheckSlabinfo(string[] lines, string[] reference, List<string> problems)
    {
        if (!lines.Take(2).SequenceEqual(reference.Take(2)))
        {
            problems.Add("slabinfo header lines differ from version 2.1's");
        }
        var rows = lines.Skip(2).ToList();
        var bad = rows.FirstOrDefault(l => !SlabinfoRow().IsMatch(l));
        if (bad is not null)
        {
            problems.Add($"slabinfo row malformed: '{bad}'");
        }
        var names = FirstWords([.. rows]).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(KmallocCaches.Where(n => !names.Contains(n)).Select(n => $"slabinfo lacks {n}"));
        // "%-17s %6lu": a name shorter than 17 characters is padded so that active_objs ends in column 24.
        foreach (var row in rows)
        {
            var m = SlabinfoHead().Match(row);
            if (m.Success && m.Groups[1].Length < 17 && m.Groups[1].Length + m.Groups[2].Length + m.Groups[3].Length != 24)
            {
                problems.Add($"slabinfo column alignment differs: '{row}'");
                break;
            }
        }
    }

    private static void CheckVmstat(string[] lines, string[] reference, List<string> problems)
    {
        var realKeys = FirstWords(reference);
        var keys = FirstWords(lines);
        var missing = realKeys.Where(k => !keys.Contains(k)).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"vmstat lacks {missing.Count} keys, e.g. {string.Join(", ", missing.Take(3))}");
        }
        else if (!keys.Where(realKeys.Contains).SequenceEqual(realKeys))
        {
            problems.Add("vmstat keys out of the kernel's order");
        }
    }

    private static void CheckNode(string dir, Func<string, string[]?> need, Func<string, string[]> reference, List<string> problems)
    {
        if (need($"{dir}/numastat") is { } numastat && !FirstWords(numastat).SequenceEqual(FirstWords(reference("sys-node0/numastat"))))
        {
            problems.Add($"{dir}/numastat keys differ");
        }
        if (need($"{dir}/meminfo") is { } meminfo)
        {
            if (!MeminfoKeys(meminfo).SequenceEqual(MeminfoKeys(reference("sys-node0/meminfo"))))
            {
                problems.Add($"{dir}/meminfo keys differ");
            }
            if (!meminfo.Where(l => l.Trim().Length > 0).All(NodeMeminfoLine().IsMatch))
            {
                problems.Add($"{dir}/meminfo line layout differs");
            }
        }
        if (need($"{dir}/distance") is { } distance && !(distance.Length > 0 && DistanceLine().IsMatch(distance[0])))
        {
            problems.Add($"{dir}/distance malformed");
        }
        if (need($"{dir}/cpulist") is { } cpulist && !(cpulist.Length > 0 && CpulistLine().IsMatch(cpulist[0])))
        {
            problems.Add($"{dir}/cpulist malformed");
        }
    }

    /// <summary>"Node 0 MemTotal:" gives "MemTotal": the words after the node number, up to the colon.</summary>
    private static List<string> MeminfoKeys(string[] lines) =>
        [.. lines.Where(l => l.Contains(':', StringComparison.Ordinal))
            .Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)].Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries))
            .Select(words => words.Length > 2 ? words[2] : "")];

    private static List<string> FirstWords(string[] lines) =>
        [.. lines.Where(l => l.Trim().Length > 0).Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0])];

    private static string[] Lines(string path)
    {
        // An empty file has no line; "\n" is one empty line (a node without CPUs has an empty cpulist).
        var text = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        return text.Length == 0 ? [] : (text.EndsWith('\n') ? text[..^1] : text).Split('\n');
    }

    private static int SymmetricExceptWithCount(this HashSet<string> set, List<string> other)
    {
        set.SymmetricExceptWith(other);
        return set.Count;
    }

    [GeneratedRegex(@"^Node \d+, zone ")]
    private static partial Regex NodeZonePrefix();

    [GeneratedRegex(@"^ *\S+$")]
    private static partial Regex PaddedWord();

    [GeneratedRegex(@"^ *\d+ $")]
    private static partial Regex PaddedCount();

    [GeneratedRegex(@"^Node +\d+, zone +\S+, type +\S+( +\d+){11} *$")]
    private static partial Regex PagetypeRow();

    [GeneratedRegex(@"^Node \d+, zone [ A-Za-z0-9]{8}$")]
    private static partial Regex ZoneinfoHeader();

    [GeneratedRegex(@"^\S+ +\d+ +\d+ +\d+ +\d+ +\d+ : tunables +\d+ +\d+ +\d+ : slabdata +\d+ +\d+ +\d+ *$")]
    private static partial Regex SlabinfoRow();

    [GeneratedRegex(@"^(\S+)( +)(\d+) ")]
    private static partial Regex SlabinfoHead();

    [GeneratedRegex(@"^Node \d+ \S+: +\d+( kB)?$")]
    private static partial Regex NodeMeminfoLine();

    [GeneratedRegex(@"^\d+( \d+)*$")]
    private static partial Regex DistanceLine();

    [GeneratedRegex(@"^[\d,\-]*$")]
    private static partial Regex CpulistLine();

    [GeneratedRegex(@"^available: \d+ nodes \(")]
    private static partial Regex NumactlFirstLine();
}
