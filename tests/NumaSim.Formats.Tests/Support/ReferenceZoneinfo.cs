using System.Globalization;
using System.Text.RegularExpressions;
using NumaSim.Model.Snapshots;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Tests.Support;

/// <summary>Reads every value of a real /proc/zoneinfo (what the importer skips: watermarks, pagesets, counters).</summary>
internal static partial class ReferenceZoneinfo
{
    private static readonly HashSet<string> HeaderFields =
        ["boost", "min", "low", "high", "promo", "spanned", "present", "managed", "cma", "node_unreclaimable", "start_pfn"];

    public static List<ReferenceZoneBlock> Parse(string text)
    {
        var blocks = new List<ReferenceZoneBlock>();
        ReferenceZoneBlock? block = null;
        var inNodeStats = false;
        var inPagesets = false;
        int[]? pcp = null; // cpu, count, high, batch, high_min, high_max

        void FlushPageset()
        {
            if (pcp is not null)
            {
                block!.Pagesets.Add(new PagesetSnapshot(pcp[0], pcp[1], pcp[2], pcp[3], pcp[4], pcp[5]));
                pcp = null;
            }
        }

        foreach (var line in text.Split('\n').Where(l => l.Length > 0))
        {
            var header = Header().Match(line);
            if (header.Success)
            {
                if (block is not null)
                {
                    FlushPageset();
                }
                ZoneTypes.TryParse(header.Groups[2].Value, out var type);
                block = new ReferenceZoneBlock(int.Parse(header.Groups[1].Value, CultureInfo.InvariantCulture), type, line);
                blocks.Add(block);
                inNodeStats = inPagesets = false;
                continue;
            }

            block!.Lines.Add(line);
            var trimmed = line.Trim();
            var tokens = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var key = tokens[0].TrimEnd(':');
            long Last() => long.Parse(tokens[^1], CultureInfo.InvariantCulture);

            if (trimmed == "per-node stats")
            {
                inNodeStats = true;
            }
            else if (trimmed.StartsWith("pages free", StringComparison.Ordinal))
            {
                inNodeStats = false;
                block.Fields["free"] = Last();
            }
            else if (key == "protection")
            {
                block.Protection.AddRange(trimmed[(trimmed.IndexOf('(') + 1)..^1]
                    .Split(", ").Select(v => long.Parse(v, CultureInfo.InvariantCulture)));
            }
            else if (key == "pagesets")
            {
                inPagesets = true;
            }
            else if (inPagesets && key == "cpu")
            {
                FlushPageset();
                pcp = [(int)Last(), 0, 0, 0, 0, 0];
            }
            else if (inPagesets && pcp is not null && Array.IndexOf(PagesetFields, key) is var i and >= 0)
            {
                pcp[i + 1] = (int)Last();
            }
            else if (key == "vm")
            {
                block.StatThreshold = (int)Last();
            }
            else if (HeaderFields.Contains(key))
            {
                if (key is "node_unreclaimable")
                {
                    FlushPageset();
                    inPagesets = false;
                }
                block.Fields[key] = Last();
            }
            else if (inNodeStats)
            {
                block.NodeStats[key] = Last();
            }
            else
            {
                block.ZoneItems[key] = Last();
            }
        }
        return blocks;
    }

    private static readonly string[] PagesetFields = ["count", "high", "batch", "high_min", "high_max"];

    [GeneratedRegex(@"^Node (\d+), zone +(\S+)$")]
    private static partial Regex Header();
}
