namespace NumaSim.Workloads.Config;

/// <summary>
/// Structural checks Akka's lenient HOCON parser skips: it accepts an unclosed brace, a stray
/// closing one, a mismatched bracket or a key with no value, and silently drops what follows.
/// A scenario with such a typo must be bad input, not a different scenario.
/// </summary>
public static partial class HoconStructure
{
    /// <summary>Nesting deeper than this is not a scenario (and would overflow the stack of Akka's recursive parser).</summary>
    public const int MaxDepth = 64;

    /// <summary>The first structural problem as (line, description), or null.</summary>
    public static (int Line, string Problem)? FindProblem(string text)
    {
        if (IncludeDirective().Match(text) is { Success: true } include)
        {
            return (text.AsSpan(0, include.Index).Count('\n') + 1,
                "include directives are not supported: put the settings in this file (a topology can be given with --topology FILE)");
        }
        var open = new Stack<(char Bracket, int Line)>();
        var line = 1;
        var expectValue = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                if (expectValue)
                {
                    return (line, "a key has no value after '='");
                }
                line++;
                continue;
            }
            if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                while (i + 1 < text.Length && text[i + 1] != '\n')
                {
                    i++;
                }
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                continue;
            }
            if (expectValue && (c is '}' or ']' or ','))
            {
                return (line, "a key has no value after '='");
            }
            expectValue = false;
            switch (c)
            {
                case '"':
                    var start = line;
                    var triple = i + 2 < text.Length && text[i + 1] == '"' && text[i + 2] == '"';
                    i = triple ? SkipTripleQuoted(text, i + 3, ref line) : SkipQuoted(text, i + 1);
                    if (i < 0)
                    {
                        return (start, "a string is not closed");
                    }
                    break;
                case '=' or ':':
                    expectValue = true;
                    break;
                case '{' or '[':
                    if (open.Count == MaxDepth)
                    {
                        return (line, $"nested more than {MaxDepth} levels deep");
                    }
                    open.Push((c, line));
                    break;
                case '}' or ']':
                    if (open.Count == 0)
                    {
                        return (line, $"'{c}' closes nothing");
                    }
                    var (bracket, openedAt) = open.Pop();
                    if ((bracket == '{') != (c == '}'))
                    {
                        return (line, $"'{c}' does not match the '{bracket}' of line {openedAt}");
                    }
                    break;
            }
        }
        return open.Count > 0 ? (open.Peek().Line, $"'{open.Peek().Bracket}' is never closed") : null;
    }

    /// <summary>HOCON's include statement: `include "file"`, `include required(...)`, file(), url(), classpath().</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^[ \t]*include[ \t]+(""|required\(|file\(|url\(|classpath\()", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex IncludeDirective();

    private static int SkipQuoted(string text, int i)
    {
        for (; i < text.Length && text[i] != '\n'; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return i;
            }
        }
        return -1;
    }

    private static int SkipTripleQuoted(string text, int i, ref int line)
    {
        for (; i + 2 < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
            else if (text[i] == '"' && text[i + 1] == '"' && text[i + 2] == '"')
            {
                return i + 2;
            }
        }
        return -1;
    }
}
