using System.CommandLine;
using System.CommandLine.Parsing;

namespace NumaSim.Cli;

/// <summary>
/// A command line's mistakes as one line a user can act on: an unknown option or command with the nearest known one,
/// a value of the wrong type in words rather than a .NET type name. Checked before any command runs.
/// </summary>
internal static class UsageErrors
{
    /// <summary>The line to print, or null when the command line is good.</summary>
    public static string? Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var help = command.Parents.Any() ? $"see numasim {command.Name} --help" : "see numasim --help";
        // An unknown option is taken for the scenario or left over; either way, name it as an option.
        if (OptionLikeWords(parse).FirstOrDefault() is { } word)
        {
            var known = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith('-')).Distinct();
            return $"unknown option {word}{Suggestion(word, known, help)}";
        }
        if (parse.Errors.Count == 0)
        {
            return null;
        }
        foreach (var error in parse.Errors)
        {
            var option = error.SymbolResult as OptionResult ?? (error.SymbolResult as ArgumentResult)?.Parent as OptionResult;
            if (option is { Tokens.Count: > 0 } && Expected(option.Option.ValueType) is { } expected)
            {
                return $"{option.Option.Name}: expected {expected}, found \"{option.Tokens[^1].Value}\" ({help})";
            }
        }
        if (!command.Parents.Any() && parse.UnmatchedTokens.FirstOrDefault() is { } unknown)
        {
            var commands = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
            return $"unknown command {unknown}{Suggestion(unknown, commands, $"commands: {string.Join(", ", commands)}")}";
        }
        var messages = parse.Errors.Select(e => string.Join(' ', e.Message.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.'));
        return $"{string.Join("; ", messages.Distinct())} ({help})";
    }

    /// <summary>Words that look like options (-x, --xyz) but were bound to a command's argument or left unmatched.</summary>
    private static IEnumerable<string> OptionLikeWords(ParseResult parse) =>
        parse.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens.Select(t => t.Value))
            .Concat(parse.UnmatchedTokens)
            .Where(w => w.Length > 1 && w[0] == '-' && !double.TryParse(w, System.Globalization.CultureInfo.InvariantCulture, out _));

    private static string? Expected(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) switch
        {
            var t when t == typeof(int) || t == typeof(long) => "an integer",
            var t when t == typeof(double) => "a number",
            var t when t == typeof(bool) => "true or false",
            _ => null,
        };

    private static string Suggestion(string word, IEnumerable<string> known, string help)
    {
        var nearest = known.Select(k => (Name: k, Distance: Distance(word, k))).OrderBy(k => k.Distance).FirstOrDefault();
        return nearest.Name is not null && nearest.Distance <= Math.Max(2, word.Length / 3)
            ? $" (did you mean {nearest.Name}? {help})"
            : $" ({help})";
    }

    /// <summary>Levenshtein distance: edits (insert, delete, replace) from one word to the other.</summary>
    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
