using System.Globalization;
using System.Runtime.CompilerServices;

namespace NumaSim.Formats.Trace;

/// <summary>
/// Reads `key=value` fields of a TP_printk line in any order. A value runs to the next token
/// that holds '=', so `call_site=ext4_fill_super+0x3a/0x90 [ext4]` keeps its module suffix.
/// Each reader method sets <see cref="Error"/> and returns false on a missing or bad field.
/// </summary>
internal ref struct KmemFieldReader(ReadOnlySpan<char> fields)
{
    private readonly ReadOnlySpan<char> _fields = fields;

    /// <summary>Where the token after the last value found starts: the next search begins there.</summary>
    private int _cursor;

    public string Error { get; private set; } = "";

    public bool Text(string key, out ReadOnlySpan<char> value)
    {
        if (!TryFind(key, out value))
        {
            return Fail($"missing {key}=");
        }
        return !value.IsEmpty || Fail($"{key}= is empty");
    }

    /// <summary>False (and no error) when the field is absent; an error when present but empty.</summary>
    public bool OptionalText(string key, out ReadOnlySpan<char> value, out bool present)
    {
        present = TryFind(key, out value);
        return !present || !value.IsEmpty || Fail($"{key}= is empty");
    }

    /// <summary>%p: hex digits without 0x; "(null)" from old kernels is 0.</summary>
    public bool Pointer(string key, out ulong pointer)
    {
        pointer = 0;
        if (!Text(key, out var v))
        {
            return false;
        }
        if (v.SequenceEqual("(null)"))
        {
            return true;
        }
        if (v.StartsWith("0x"))
        {
            v = v[2..];
        }
        return (v.Length <= 16 && Digits.TryHex(v, out pointer)) ||
               Fail($"{key}={FtraceLine.Shorten(v)} is not a hexadecimal pointer");
    }

    /// <summary>pfn=0x%lx in 6.x, pfn=%lu in older kernels.</summary>
    public bool Pfn(string key, out ulong pfn)
    {
        pfn = 0;
        if (!Text(key, out var v))
        {
            return false;
        }
        var ok = v.StartsWith("0x")
            ? Digits.TryHex(v[2..], out pfn)
            : Digits.TryDecimal(v, out pfn);
        return ok || Fail($"{key}={FtraceLine.Shorten(v)} is not a page frame number");
    }

    /// <summary>%zu.</summary>
    public bool Size(string key, out long size)
    {
        size = 0;
        return Text(key, out var v) &&
               (Digits.TryDecimal(v, out size) ||
                Fail($"{key}={FtraceLine.Shorten(v)} is not a decimal number"));
    }

    /// <summary>%d or %u.</summary>
    public bool Int(string key, out int number)
    {
        number = 0;
        return Text(key, out var v) && ParseInt(key, v, out number);
    }

    public bool OptionalInt(string key, int absent, out int number)
    {
        number = absent;
        if (!OptionalText(key, out var v, out var present))
        {
            return false;
        }
        return !present || ParseInt(key, v, out number);
    }

    /// <summary>"true" or "false" (accounted=%s).</summary>
    public bool OptionalBool(string key, out bool flag)
    {
        flag = false;
        if (!OptionalText(key, out var v, out var present))
        {
            return false;
        }
        if (!present || v.SequenceEqual("false"))
        {
            return true;
        }
        flag = v.SequenceEqual("true");
        return flag || Fail($"{key}={FtraceLine.Shorten(v)} is not true or false");
    }

    private bool ParseInt(string key, ReadOnlySpan<char> v, out int number) =>
        int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number) ||
        Fail($"{key}={FtraceLine.Shorten(v)} is not a decimal number");

    /// <summary>Records the error; always false, to end a chain of reads.</summary>
    public bool Fail(string error)
    {
        Error = error;
        return false;
    }

    /// <summary>
    /// The value of the first `key=` token. Fields come in the order TP_printk prints them, so the search starts
    /// after the value found last and wraps around: each key is usually the next token, and a line is scanned
    /// about once whatever the number of keys read.
    /// </summary>
    private bool TryFind(string key, out ReadOnlySpan<char> value) =>
        TryFind(key, _cursor, _fields.Length, out value) || (_cursor > 0 && TryFind(key, 0, _cursor, out value));

    /// <summary>The first `key=` token that starts at or after <paramref name="from"/> and before <paramref name="limit"/>.</summary>
    /// <remarks>Scans char by char: tokens are a few characters long, too short for vectorized searches to pay.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryFind(string key, int from, int limit, out ReadOnlySpan<char> value)
    {
        var s = _fields;
        var i = SkipSpaces(s, from);
        while (i < limit)
        {
            var equals = i + key.Length;
            if (equals < s.Length && s[equals] == '=' && s[i..equals].SequenceEqual(key))
            {
                var end = ValueEnd(s, equals + 1);
                value = s[(equals + 1)..end];
                _cursor = end;
                return true;
            }
            i = SkipSpaces(s, TokenEnd(s, i));
        }
        value = default;
        return false;
    }

    /// <summary>Where a value that starts at <paramref name="start"/> ends: it takes in the following tokens that are not key=value.</summary>
    private static int ValueEnd(ReadOnlySpan<char> s, int start)
    {
        var end = TokenEnd(s, start);
        while (end < s.Length)
        {
            var next = SkipSpaces(s, end);
            var j = next;
            while (j < s.Length && s[j] != ' ' && s[j] != '=')
            {
                j++;
            }
            if (next >= s.Length || (j < s.Length && s[j] == '='))
            {
                break;
            }
            end = j;
        }
        return end;
    }

    private static int SkipSpaces(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && s[i] == ' ')
        {
            i++;
        }
        return i;
    }

    private static int TokenEnd(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && s[i] != ' ')
        {
            i++;
        }
        return i;
    }
}
