namespace NumaSim.Formats.Trace;

/// <summary>
/// Unsigned hex and decimal numbers as trace fields print them, read without the culture and style machinery of
/// the general parsers (a trace has several numbers on each of its millions of lines). Same rules as
/// NumberStyles.AllowHexSpecifier / NumberStyles.None: digits only, at least one, false on overflow.
/// </summary>
internal static class Digits
{
    public static bool TryHex(ReadOnlySpan<char> s, out ulong value)
    {
        value = 0;
        if (s.IsEmpty)
        {
            return false;
        }
        var significant = 0;
        foreach (var c in s)
        {
            int d;
            if (c is >= '0' and <= '9')
            {
                d = c - '0';
            }
            else if (c is >= 'a' and <= 'f')
            {
                d = c - 'a' + 10;
            }
            else if (c is >= 'A' and <= 'F')
            {
                d = c - 'A' + 10;
            }
            else
            {
                return false;
            }
            if (significant > 0 || d != 0)
            {
                if (++significant > 16)
                {
                    return false;
                }
            }
            value = (value << 4) | (uint)d;
        }
        return true;
    }

    public static bool TryDecimal(ReadOnlySpan<char> s, out ulong value)
    {
        value = 0;
        if (s.IsEmpty)
        {
            return false;
        }
        foreach (var c in s)
        {
            var d = (uint)(c - '0');
            if (d > 9 || value > (ulong.MaxValue - d) / 10)
            {
                return false;
            }
            value = value * 10 + d;
        }
        return true;
    }

    public static bool TryDecimal(ReadOnlySpan<char> s, out long value)
    {
        var ok = TryDecimal(s, out ulong u) && u <= long.MaxValue;
        value = ok ? (long)u : 0;
        return ok;
    }
}
