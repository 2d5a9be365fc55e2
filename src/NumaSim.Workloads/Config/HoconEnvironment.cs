using System.Text.Json;
using System.Text.RegularExpressions;

namespace NumaSim.Workloads.Config;

/// <summary>
/// HOCON's fall-back of a substitution to the environment, which Akka's parser lacks: `${VAR}` and `${?VAR}` with a
/// name without dots (every setting lives under numasim, so such a name is no setting) take the variable's value
/// as a quoted string; an unset `${VAR}` is bad input, an unset `${?VAR}` leaves its key unset as HOCON says.
/// </summary>
public static partial class HoconEnvironment
{
    public static string Substitute(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return text;
        }
        // `key = ${?VAR}` alone on its line with VAR unset: the assignment goes, the line stays (line numbers hold).
        text = OptionalAssignment().Replace(text, m => Environment.GetEnvironmentVariable(m.Groups["name"].Value) is null ? m.Groups["indent"].Value : m.Value);
        return Variable().Replace(text, m =>
        {
            var name = m.Groups["name"].Value;
            var value = Environment.GetEnvironmentVariable(name);
            if (value is not null)
            {
                return JsonSerializer.Serialize(value);
            }
            if (m.Groups["optional"].Success)
            {
                return "\"\"";
            }
            throw new ConfigException(path, text.AsSpan(0, m.Index).Count('\n') + 1, "${" + name + "}", $"the environment variable {name} is not set (and no setting has that name)");
        });
    }

    [GeneratedRegex(@"\$\{(?<optional>\?)?(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^(?<indent>[ \t]*)[A-Za-z0-9_.""-]+[ \t]*[=:][ \t]*\$\{\?(?<name>[A-Za-z_][A-Za-z0-9_]*)\}[ \t]*,?[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex OptionalAssignment();
}
