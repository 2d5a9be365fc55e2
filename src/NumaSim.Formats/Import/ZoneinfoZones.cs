using System.Globalization;
using System.Text.RegularExpressions;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Import;

/// <summary>
/// The zone geometry /proc/zoneinfo reports: per node, each populated zone's start_pfn,
/// spanned, present and managed, and the pages in use at the snapshot (managed - pages free). Unpopulated zones (present 0) are left out; a node whose
/// zones are all unpopulated (a memoryless node) is kept with no zones.
/// </summary>
internal sealed partial class ZoneinfoZones
{
    private readonly SortedDictionary<int, List<ZoneSpec>> _byNode = [];
    private readonly Dictionary<int, int> _firstLine = [];

    private ZoneinfoZones()
    {
    }

    /// <summary>Populated zones of each node, lowest zone type first.</summary>
    public IReadOnlyDictionary<int, List<ZoneSpec>> ByNode => _byNode;

    /// <summary>The line of each node's first "Node N, zone ..." header, for error messages.</summary>
    public int FirstLineOf(int node) => _firstLine.GetValueOrDefault(node, 1);

    /// <exception cref="FormatException">The text is not zoneinfo.</exception>
    public static ZoneinfoZones Parse(SourceText text)
    {
        var result = new ZoneinfoZones();
        Block? block = null;
        for (var i = 0; i < text.Lines.Count; i++)
        {
            var lineNumber = i + 1;
            var line = text.Lines[i];
            if (line.StartsWith("Node", StringComparison.Ordinal))
            {
                if (block is not null)
                {
                    result.Add(text, block);
                }
                block = ParseHeader(text, lineNumber, line);
                result._firstLine.TryAdd(block.Node, lineNumber);
                result._byNode.TryAdd(block.Node, []);
            }
            else if (line.Trim().Length == 0)
            {
                continue;
            }
            else if (block is null || !char.IsWhiteSpace(line[0]))
            {
                throw text.Error(lineNumber, $"expected a 'Node N, zone NAME' header or an indented field, found '{line.Trim()}'");
            }
            else
            {
                block.Read(text, lineNumber, line);
            }
        }

        if (block is null)
        {
            throw text.Error(1, "no 'Node N, zone NAME' block: not a /proc/zoneinfo file");
        }
        result.Add(text, block);
        return result;
    }

    private static Block ParseHeader(SourceText text, int lineNumber, string line)
    {
        var m = HeaderPattern().Match(line);
        if (!m.Success)
        {
            throw text.Error(lineNumber, $"expected 'Node N, zone NAME', found '{line.Trim()}'");
        }
        if (!int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var node))
        {
            throw text.Error(lineNumber, $"node id '{m.Groups[1].Value}' is out of range");
        }
        if (!ZoneTypes.TryParse(m.Groups[2].Value, out var type))
        {
            throw text.Error(lineNumber, $"unknown zone '{m.Groups[2].Value}' (expected DMA, DMA32, Normal, Movable or Device)");
        }
        return new Block(node, type, lineNumber);
    }

    private void Add(SourceText text, Block block)
    {
        var zones = _byNode[block.Node];
        if (zones.Any(z => z.Type == block.Type))
        {
            throw text.Error(block.HeaderLine, $"zone {block.Type.KernelName()} of node {block.Node} appears twice");
        }
        var spec = block.ToSpec(text);
        if (spec is not null)
        {
            zones.Add(spec);
            zones.Sort((a, b) => a.Type.CompareTo(b.Type));
        }
    }

    [GeneratedRegex(@"^Node (\d+), zone +(\S+)\s*$")]
    private static partial Regex HeaderPattern();

    /// <summary>The fields of one zone block read so far.</summary>
    private sealed class Block(int node, ZoneType type, int headerLine)
    {
        private long? _spanned;
        private long? _present;
        private long? _managed;
        private long? _startPfn;
        private long? _free;
        private readonly long?[] _marks = new long?[4];
        private readonly List<int> _pcp = [];
        private int _cpu = -1;
        private static readonly string[] MarkNames = ["min", "low", "high", "promo"];

        public int Node { get; } = node;
        public ZoneType Type { get; } = type;
        public int HeaderLine { get; } = headerLine;

        public void Read(SourceText text, int lineNumber, string line)
        {
            var tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            switch (tokens[0])
            {
                case "spanned":
                    _spanned = Value(text, lineNumber, tokens);
                    break;
                case "present":
                    _present = Value(text, lineNumber, tokens);
                    break;
                case "managed":
                    _managed = Value(text, lineNumber, tokens);
                    break;
                case "start_pfn:":
                    _startPfn = Value(text, lineNumber, tokens);
                    break;
                case "pages" when tokens.Length == 3 && tokens[1] == "free":
                    _free = Value(text, lineNumber, ["pages free", tokens[2]]);
                    break;
                case "min" or "low" or "high" or "promo" when tokens.Length == 2:
                    _marks[Array.IndexOf(MarkNames, tokens[0])] = Value(text, lineNumber, tokens);
                    break;
                case "cpu:" when tokens.Length == 2:
                    _cpu = (int)Value(text, lineNumber, tokens);
                    break;
                case "count:" when _cpu >= 0:
                    // The pageset's list: pages its CPU holds, allocated as far as nr_free_pages knows.
                    while (_pcp.Count <= _cpu)
                    {
                        _pcp.Add(0);
                    }
                    _pcp[_cpu] = (int)Math.Min(Value(text, lineNumber, tokens), int.MaxValue);
                    break;
                default:
                    break; // the other counters say nothing about the machine's start
            }
        }

        /// <summary>The zone, or null when it is unpopulated.</summary>
        public ZoneSpec? ToSpec(SourceText text)
        {
            var where = $"zone {Type.KernelName()} of node {Node}";
            var present = _present ?? throw text.Error(HeaderLine, $"{where} has no 'present' line");
            if (present == 0)
            {
                return null;
            }
            var spanned = _spanned ?? throw text.Error(HeaderLine, $"{where} has no 'spanned' line");
            var managed = _managed ?? throw text.Error(HeaderLine, $"{where} has no 'managed' line");
            var startPfn = _startPfn ?? throw text.Error(HeaderLine, $"{where} is populated but has no 'start_pfn:' line");
            if (present > spanned || managed > present)
            {
                throw text.Error(HeaderLine, $"{where} needs managed <= present <= spanned, has {managed}, {present}, {spanned}");
            }
            // What the machine held at the snapshot (its boot, its tasks) stays held in a run on the import.
            var inUse = _free is { } free ? Math.Clamp(managed - free, 0, managed) : 0;
            // Pages on CPUs' lists are part of what is in use; a snapshot read while they moved may disagree.
            var pcp = inUse > 0 && _pcp.Sum(c => (long)c) <= inUse ? _pcp : [];
            // The watermarks the running kernel checks: computed at its boot from what it managed then.
            var marks = _marks.All(m => m is not null) && _marks[0] <= _marks[1] && _marks[1] <= _marks[2] && _marks[2] <= _marks[3]
                ? new ZoneMarks(_marks[0]!.Value, _marks[1]!.Value, _marks[2]!.Value, _marks[3]!.Value)
                : null;
            return new ZoneSpec(Type, startPfn, spanned, present, managed) { InUse = inUse, PcpPages = [.. pcp], Watermarks = marks };
        }

        private static long Value(SourceText text, int lineNumber, string[] tokens)
        {
            if (tokens.Length != 2 ||
                !long.TryParse(tokens[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                throw text.Error(lineNumber, $"'{tokens[0].TrimEnd(':')}' needs one non-negative number, found '{string.Join(' ', tokens[1..])}'");
            }
            return value;
        }
    }
}
