using System.Globalization;
using NumaSim.Formats.Import;

namespace NumaSim.Formats.Proc;

/// <summary>
/// Reads /proc/slabinfo version 2.x: ours, a real machine's, SLAB's (non-zero, wider tunables) or SLAB's
/// "(statistics)" variant, whose ": globalstat ... : cpustat ..." tail is ignored, as procps-ng's
/// parse_slabinfo20 ignores it. Columns may be separated by any run of blanks. The first line must be
/// "slabinfo - version: 2.N"; lines starting with '#' and blank lines are skipped; any other line must be
/// "NAME A B C D E : tunables F G H : slabdata I J K" with unsigned decimal numbers, or the whole file is refused
/// with a FormatException reading "FILE:LINE: what is wrong".
/// </summary>
public static class SlabinfoParser
{
    /// <exception cref="FormatException">The file is missing, unreadable or not slabinfo 2.x.</exception>
    public static IReadOnlyList<SlabinfoRow> ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var source = SourceText.Read(path);
        return Parse(source.Lines, (line, what) => source.Error(line, what));
    }

    /// <summary>Parses slabinfo text; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="FormatException">The text is not slabinfo 2.x.</exception>
    public static IReadOnlyList<SlabinfoRow> Parse(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        if (lines.Length > 0 && lines[^1].Length == 0)
        {
            lines = lines[..^1];
        }
        return Parse(lines, (line, what) => new FormatException($"{sourceName}:{line}: {what.ReplaceLineEndings(" ")}"));
    }

    private static List<SlabinfoRow> Parse(IReadOnlyList<string> lines, Func<int, string, FormatException> error)
    {
        if (lines.Count == 0 || !IsVersion2Header(lines[0]))
        {
            throw error(1, "not slabinfo version 2.x: the first line must read \"slabinfo - version: 2.1\"");
        }
        var rows = new List<SlabinfoRow>();
        for (var i = 1; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            rows.Add(ParseRow(line, i + 1, error));
        }
        return rows;
    }

    private static bool IsVersion2Header(string line)
    {
        const string prefix = "slabinfo - version: ";
        if (!line.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var version = line[prefix.Length..].Split(' ', 2)[0].Split('.');
        return version is [var major, var minor] && major == "2" && minor.Length > 0 && minor.All(char.IsAsciiDigit);
    }

    private static SlabinfoRow ParseRow(string line, int lineNumber, Func<int, string, FormatException> error)
    {
        var t = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        const string shape = "NAME <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>";
        if (t.Length < 16 || t[6] != ":" || t[7] != "tunables" || t[11] != ":" || t[12] != "slabdata" || (t.Length > 16 && t[16] != ":"))
        {
            throw error(lineNumber, $"malformed slabinfo line for '{t.FirstOrDefault()}': expected {shape}");
        }
        long Number(int index, string column)
        {
            if (t[index].All(char.IsAsciiDigit) && long.TryParse(t[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
            throw error(lineNumber, $"malformed slabinfo line for '{t[0]}': <{column}> is '{t[index]}', not an unsigned number");
        }
        return new SlabinfoRow(
            t[0],
            Number(1, "active_objs"),
            Number(2, "num_objs"),
            Number(3, "objsize"),
            Number(4, "objperslab"),
            Number(5, "pagesperslab"),
            Number(8, "limit"),
            Number(9, "batchcount"),
            Number(10, "sharedfactor"),
            Number(13, "active_slabs"),
            Number(14, "num_slabs"),
            Number(15, "sharedavail"),
            lineNumber);
    }
}
