using System.Globalization;

namespace NumaSim.Workloads.Config;

/// <summary>Durations and sizes as scenarios write them.</summary>
public static class Units
{
    public static bool TryParseNanoseconds(string text, out long ns)
    {
        ns = 0;
        var (number, unit) = Split(text);
        long scale = unit switch
        {
            "" when number == "0" => 1,
            "ns" => 1,
            "us" or "µs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            _ => 0,
        };
        if (scale == 0 || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }
        var scaled = Math.Round(value * scale);
        // Beyond long.MaxValue nanoseconds (292 years) the cast would saturate or wrap: no silent clamp.
        if (!double.IsFinite(scaled) || scaled >= long.MaxValue)
        {
            return false;
        }
        ns = (long)scaled;
        return true;
    }

    public static bool TryParseBytes(string text, out long bytes)
    {
        bytes = 0;
        var (number, unit) = Split(text);
        var shift = unit.ToUpperInvariant().TrimEnd('B').TrimEnd('I') switch
        {
            "" => 0,
            "K" => 10,
            "M" => 20,
            "G" => 30,
            "T" => 40,
            _ => -1,
        };
        if (shift < 0 || !long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }
        // 8E and more do not fit a long: refused rather than wrapped.
        if (value > long.MaxValue >> shift)
        {
            return false;
        }
        bytes = value << shift;
        return true;
    }

    private static (string Number, string Unit) Split(string text)
    {
        var i = 0;
        while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.'))
        {
            i++;
        }
        return (text[..i], text[i..].Trim());
    }
}
