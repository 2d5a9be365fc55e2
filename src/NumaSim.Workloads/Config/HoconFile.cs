using System.Text.RegularExpressions;
using Akka.Configuration;

namespace NumaSim.Workloads.Config;

/// <summary>
/// A parsed HOCON file that remembers its text, so that an error can name the line of the key.
/// Akka's HOCON keeps no positions, so the line is found by walking the key path through the text.
/// </summary>
public sealed partial class HoconFile
{
    private HoconFile(string path, string text, Akka.Configuration.Config config)
    {
        Path = path;
        Text = text;
        Config = config;
    }

    public string Path { get; }
    public string Text { get; }
    public Akka.Configuration.Config Config { get; }

    /// <summary>The largest scenario or topology file read: a machine of thousands of nodes is well below it.</summary>
    public const long MaxFileBytes = 16L << 20;

    public static HoconFile Load(string path)
    {
        string text;
        try
        {
            if (new FileInfo(path) is { Exists: true, Length: > MaxFileBytes } big)
            {
                throw new ConfigException(path, 0, "(file)", $"{big.Length} bytes is too large for a scenario (at most {MaxFileBytes >> 20} MiB)");
            }
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var problem = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => "no such file",
                _ when Directory.Exists(path) => "is a directory, not a file",
                _ => e.Message,
            };
            throw new ConfigException(path, 0, "(file)", problem);
        }
        return Parse(path, text);
    }

    public static HoconFile Parse(string path, string text)
    {
        text = HoconEnvironment.Substitute(path, text);
        if (HoconStructure.FindProblem(text) is var (line, problem))
        {
            throw new ConfigException(path, line, "(syntax)", problem);
        }
        try
        {
            var config = ConfigurationFactory.ParseString(text);
            if (config.Root is { } root && HoconCycles.Find(root) is { } cycle)
            {
                // Akka resolves a substitution by reading its target: a cycle would recurse until the stack overflows.
                throw new ConfigException(path, Math.Max(1, text.AsSpan(0, Math.Max(0, text.IndexOf("${" + cycle, StringComparison.Ordinal))).Count('\n') + 1),
                    "(syntax)", $"the substitution ${{{cycle}}} refers to itself");
            }
            return new HoconFile(path, text, config);
        }
        catch (Exception e) when (e is not ConfigException)
        {
            var first = e.Message.Split('\n')[0].Trim().TrimEnd(':');
            throw new ConfigException(path, LineOfParseError(text, e.Message), "(syntax)", $"not valid HOCON: {first}");
        }
    }

    /// <summary>The 1-based line where the key path (e.g. "numasim.topology.nodes[1].cpus") is set.</summary>
    public int LineOf(string keyPath)
    {
        var position = 0;
        var found = 0;
        foreach (var segment in keyPath.Split('.'))
        {
            var name = segment;
            var index = -1;
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0)
            {
                name = segment[..bracket];
                index = int.Parse(segment[(bracket + 1)..segment.IndexOf(']', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
            }
            var match = new Regex($@"(?<=^|[\s{{,.""])""?{Regex.Escape(name)}""?(?=\s*(=|:|\{{|\.))", RegexOptions.Multiline).Match(Text, position);
            if (!match.Success)
            {
                break;
            }
            position = match.Index + match.Length;
            found = position;
            if (index >= 0)
            {
                found = position = SkipToElement(position, index);
            }
        }
        return found == 0 ? 1 : Text.AsSpan(0, Math.Min(found, Text.Length)).Count('\n') + 1;
    }

    /// <summary>From just after "key =", the position of the index-th element of the array that follows.</summary>
    private int SkipToElement(int position, int index)
    {
        var depth = 0;
        var element = 0;
        for (var i = position; i < Text.Length; i++)
        {
            var c = Text[i];
            if (c is '[' or '{')
            {
                depth++;
                if (depth == 2 && element == index)
                {
                    return i;
                }
            }
            else if (c is ']' or '}')
            {
                depth--;
                if (depth == 0)
                {
                    return position;
                }
            }
            else if (depth == 1 && (c == ',' || c == '\n') && HasContentBefore(i, position))
            {
                element++;
            }
            else if (depth == 1 && element == index && !char.IsWhiteSpace(c))
            {
                return i;
            }
        }
        return position;
    }

    private bool HasContentBefore(int i, int start)
    {
        for (var j = i - 1; j >= start; j--)
        {
            var c = Text[j];
            if (c is '[' or ',')
            {
                return false;
            }
            if (!char.IsWhiteSpace(c))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Akka names a line, a character position, or the substitution it could not resolve.</summary>
    private static int LineOfParseError(string text, string message)
    {
        static int Number(Match m) => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (LineInMessage().Match(message) is { Success: true } line)
        {
            return Number(line);
        }
        var index = PositionInMessage().Match(message) is { Success: true } position
            ? Math.Min(Number(position), text.Length)
            : SubstitutionInMessage().Match(message) is { Success: true } sub ? Math.Max(0, text.IndexOf("${" + sub.Groups[1].Value, StringComparison.Ordinal)) : 0;
        return text.AsSpan(0, index).Count('\n') + 1;
    }

    [GeneratedRegex(@"line (\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex LineInMessage();

    [GeneratedRegex(@"position (\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex PositionInMessage();

    [GeneratedRegex(@"substitution:?\s*\$?\{?([\w.\-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex SubstitutionInMessage();
}
