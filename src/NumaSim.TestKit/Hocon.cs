using System.Globalization;
using System.Text;

namespace NumaSim.TestKit;

/// <summary>Values as HOCON text, for the scenarios <see cref="NumaScenario"/> writes.</summary>
internal static class Hocon
{
    public static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }

    /// <summary>One object on one line: { key = value, ... }, skipping null values.</summary>
    public static string Object(params (string Key, object? Value)[] fields) =>
        "{ " + string.Join(", ", fields.Where(f => f.Value is not null).Select(f => $"{f.Key} = {Value(f.Value!)}")) + " }";

    public static string Value(object value) => value switch
    {
        string s => Quote(s),
        bool b => b ? "on" : "off",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        Raw r => r.Text,
        _ => Quote(value.ToString() ?? ""),
    };

    /// <summary>HOCON written as it stands (an object, a list).</summary>
    public sealed record Raw(string Text);
}
