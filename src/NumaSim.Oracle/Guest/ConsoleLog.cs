using System.Text;
using NumaSim.Formats.Output;

namespace NumaSim.Oracle.Guest;

/// <summary>
/// The guest's serial console: files it printed between "=== BEGIN TAG PATH" and "=== END" lines, written
/// under DIR/TAG/PATH, so that DIR/boot is a snapshot `numasim topology import` reads like a live root.
/// </summary>
public static class ConsoleLog
{
    public const string Start = "=== NUMASIM START";
    public const string End = "=== NUMASIM END";
    private const string Begin = "=== BEGIN ";
    private const string Close = "=== END";

    /// <summary>The files of a console log, by "TAG/PATH" (PATH without its leading slash).</summary>
    /// <exception cref="OracleException">The guest did not finish: no end marker.</exception>
    public static IReadOnlyDictionary<string, string> Split(string log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var body = new StringBuilder();
        var ended = false;
        foreach (var raw in log.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith(Begin, StringComparison.Ordinal))
            {
                var rest = line[Begin.Length..].Split(' ', 2);
                current = rest.Length == 2 ? Key(rest[0], rest[1]) : null;
                body.Clear();
            }
            else if (line == Close && current is not null)
            {
                files[current] = body.ToString();
                current = null;
            }
            else if (current is not null)
            {
                body.Append(line).Append('\n');
            }
            else if (line == End)
            {
                ended = true;
            }
        }
        if (!ended)
        {
            throw new OracleException($"the guest did not finish (no '{End}' line on its console); its last lines: {HostProcess.Tail(log, 8)}");
        }
        return files;
    }

    /// <summary>Writes each file under <paramref name="dir"/>.</summary>
    public static void WriteFiles(string dir, IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var (key, text) in files)
        {
            AtomicFile.WriteAllText(Path.Combine(dir, key), text);
        }
    }

    /// <summary>TAG/PATH, refusing any path that would leave the output directory.</summary>
    private static string? Key(string tag, string path)
    {
        var relative = path.TrimStart('/');
        if (relative.Length == 0 || tag.Contains('/', StringComparison.Ordinal) || tag.StartsWith('.')
            || relative.Split('/').Any(part => part is "" or "." or ".."))
        {
            return null;
        }
        return tag + "/" + relative;
    }
}
