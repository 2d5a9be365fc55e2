using System.Globalization;
using System.Text.RegularExpressions;

namespace NumaSim.Formats.Import;

/// <summary>
/// What a saved `numactl --hardware` output says about the topology: each node's CPUs and the
/// "node distances:" matrix. Size and free lines are ignored (zoneinfo has the exact figures).
/// </summary>
internal sealed partial class NumactlHardwareText
{
    private readonly Dictionary<int, (IReadOnlyList<int> Cpus, int Line)> _cpus = [];
    private readonly Dictionary<int, (int[] Row, int Line)> _rows = [];

    private NumactlHardwareText(SourceText source) => Source = source;

    public SourceText Source { get; }

    /// <summary>Node ids of the distance header line, or null when the file has no matrix.</summary>
    public int[]? DistanceColumns { get; private set; }

    public int DistanceHeaderLine { get; private set; }

    public IEnumerable<int> NodesWithCpuLine => _cpus.Keys;

    public (IReadOnlyList<int> Cpus, int Line)? CpusOf(int node) => _cpus.TryGetValue(node, out var c) ? c : null;

    public (int[] Row, int Line)? DistanceRow(int node) => _rows.TryGetValue(node, out var r) ? r : null;

    /// <exception cref="FormatException">A line is not one numactl --hardware prints.</exception>
    public static NumactlHardwareText Parse(SourceText text)
    {
        var result = new NumactlHardwareText(text);
        for (var i = 0; i < text.Lines.Count; i++)
        {
            var lineNumber = i + 1;
            var line = text.Lines[i];
            Match m;
            if (line.Trim().Length == 0 || line.StartsWith("available:", StringComparison.Ordinal) ||
                SizePattern().IsMatch(line) || line == "No distance information available.")
            {
                continue;
            }
            if ((m = CpusPattern().Match(line)).Success)
            {
                var node = Number(text, lineNumber, m.Groups[1].Value);
                var cpus = Numbers(text, lineNumber, m.Groups[2].Value);
                if (!result._cpus.TryAdd(node, (cpus, lineNumber)))
                {
                    throw text.Error(lineNumber, $"second 'node {node} cpus:' line");
                }
            }
            else if (line == "node distances:")
            {
                if (i + 1 >= text.Lines.Count || !(m = DistanceHeaderPattern().Match(text.Lines[i + 1])).Success)
                {
                    throw text.Error(lineNumber + 1, "expected the distance header 'node   0   1 ...' after 'node distances:'");
                }
                i++;
                result.DistanceColumns = [.. Numbers(text, i + 1, m.Groups[1].Value)];
                result.DistanceHeaderLine = i + 1;
            }
            else if (result.DistanceColumns is not null && (m = DistanceRowPattern().Match(line)).Success)
            {
                var node = Number(text, lineNumber, m.Groups[1].Value);
                var row = Numbers(text, lineNumber, m.Groups[2].Value);
                if (row.Count != result.DistanceColumns.Length)
                {
                    throw text.Error(lineNumber, $"distance row of node {node} has {row.Count} entries, the header names {result.DistanceColumns.Length} nodes");
                }
                if (!result._rows.TryAdd(node, ([.. row], lineNumber)))
                {
                    throw text.Error(lineNumber, $"second distance row for node {node}");
                }
            }
            else
            {
                throw text.Error(lineNumber, $"not a line numactl --hardware prints: '{line.Trim()}'");
            }
        }
        return result;
    }

    private static int Number(SourceText text, int lineNumber, string token) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw text.Error(lineNumber, $"'{token}' is not a non-negative number");

    private static List<int> Numbers(SourceText text, int lineNumber, string list) =>
        list.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(t => Number(text, lineNumber, t)).ToList();

    [GeneratedRegex(@"^node (\d+) cpus:((?: +\S+)*) *$")]
    private static partial Regex CpusPattern();

    [GeneratedRegex(@"^node \d+ (?:size|free): ")]
    private static partial Regex SizePattern();

    [GeneratedRegex(@"^node((?: +\S+)*) *$")]
    private static partial Regex DistanceHeaderPattern();

    [GeneratedRegex(@"^ *(\d+):((?: +\S+)*) *$")]
    private static partial Regex DistanceRowPattern();
}
