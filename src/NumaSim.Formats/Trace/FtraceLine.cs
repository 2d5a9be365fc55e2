using System.Globalization;
using System.Runtime.CompilerServices;

namespace NumaSim.Formats.Trace;

/// <summary>
/// The parts of one ftrace text line: `TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS`. TASK may
/// hold spaces and dashes (the pid follows the last '-'), a `(TGID)` column may follow the pid
/// (record-tgid), and FLAGS is absent when irq-info is off or in older traces.
/// </summary>
internal readonly ref struct FtraceLine
{
    private FtraceLine(ReadOnlySpan<char> task, int pid, int cpu, long timestampNs, ReadOnlySpan<char> @event, ReadOnlySpan<char> fields)
    {
        Task = task;
        Pid = pid;
        Cpu = cpu;
        TimestampNs = timestampNs;
        Event = @event;
        Fields = fields;
    }

    public ReadOnlySpan<char> Task { get; }

    public int Pid { get; }

    public int Cpu { get; }

    public long TimestampNs { get; }

    public ReadOnlySpan<char> Event { get; }

    /// <summary>Everything after "EVENT:", trimmed.</summary>
    public ReadOnlySpan<char> Fields { get; }

    /// <summary>Splits a line that is not a header; on failure, error says what is missing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParse(ReadOnlySpan<char> line, out FtraceLine parsed, out string error)
    {
        parsed = default;
        var s = line.Trim();
        for (var open = s.IndexOf('['); open >= 0; open = NextIndexOf(s, '[', open + 1))
        {
            if (!TryTaskPidCpu(s, open, out var task, out var pid, out var cpu, out var close))
            {
                continue;
            }
            var rest = s[(close + 1)..].TrimStart();
            var token = FirstToken(rest);
            if (!TryTimestamp(token, out var ns))
            {
                // FLAGS, then TIMESTAMP:
                rest = rest[token.Length..].TrimStart();
                var stamp = FirstToken(rest);
                if (!TryTimestamp(stamp, out ns))
                {
                    error = stamp.IsEmpty
                        ? "no TIMESTAMP: after [CPU]"
                        : $"bad timestamp '{Shorten(stamp)}' (expected SECONDS.FRACTION:)";
                    return false;
                }
                token = stamp;
            }
            rest = rest[token.Length..].TrimStart();
            var colon = rest.IndexOf(':');
            if (colon <= 0)
            {
                error = "no 'EVENT:' after the timestamp";
                return false;
            }
            parsed = new FtraceLine(task, pid, cpu, ns, rest[..colon].Trim(), rest[(colon + 1)..].Trim());
            error = "";
            return true;
        }
        error = "not a 'TASK-PID [CPU] TIMESTAMP: EVENT: FIELDS' line";
        return false;
    }

    /// <summary>"TASK-PID [(TGID)] [CPU]" with '[' at open.</summary>
    private static bool TryTaskPidCpu(ReadOnlySpan<char> s, int open, out ReadOnlySpan<char> task, out int pid, out int cpu, out int close)
    {
        task = default;
        pid = 0;
        cpu = 0;
        close = open + 1;
        while (close < s.Length && char.IsAsciiDigit(s[close]))
        {
            close++;
        }
        if (close == open + 1 || close >= s.Length || s[close] != ']' || open == 0 || s[open - 1] != ' ')
        {
            return false;
        }
        var before = s[..open].TrimEnd();
        if (before.EndsWith(')'))
        {
            var paren = before.LastIndexOf('(');
            if (paren < 0)
            {
                return false;
            }
            before = before[..paren].TrimEnd();
        }
        var dash = before.LastIndexOf('-');
        if (dash < 0 || !TryInt(before[(dash + 1)..], out pid) || !TryInt(s[(open + 1)..close], out cpu))
        {
            return false;
        }
        task = before[..dash];
        return true;
    }

    /// <summary>%d of a non-negative int: digits only.</summary>
    private static bool TryInt(ReadOnlySpan<char> digits, out int value)
    {
        var ok = Digits.TryDecimal(digits, out long n) && n <= int.MaxValue;
        value = ok ? (int)n : 0;
        return ok;
    }

    /// <summary>"12345.678901:" (any fraction up to nanoseconds, or none) as nanoseconds.</summary>
    private static bool TryTimestamp(ReadOnlySpan<char> token, out long ns)
    {
        ns = 0;
        if (token.Length < 2 || token[^1] != ':')
        {
            return false;
        }
        var text = token[..^1];
        var dot = text.IndexOf('.');
        var whole = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? [] : text[(dot + 1)..];
        if (whole.IsEmpty || whole.Length > 10 || fraction.Length > 9 || (dot >= 0 && fraction.IsEmpty) ||
            !Digits.TryDecimal(whole, out long seconds))
        {
            return false;
        }
        long nanos = 0;
        if (!fraction.IsEmpty)
        {
            if (!Digits.TryDecimal(fraction, out nanos))
            {
                return false;
            }
            for (var i = fraction.Length; i < 9; i++)
            {
                nanos *= 10;
            }
        }
        ns = seconds * 1_000_000_000 + nanos;
        return true;
    }

    private static ReadOnlySpan<char> FirstToken(ReadOnlySpan<char> s)
    {
        var space = s.IndexOfAny(' ', '\t');
        return space < 0 ? s : s[..space];
    }

    private static int NextIndexOf(ReadOnlySpan<char> s, char c, int from)
    {
        var i = s[from..].IndexOf(c);
        return i < 0 ? -1 : from + i;
    }

    internal static string Shorten(ReadOnlySpan<char> text)
    {
        const int max = 40;
        var s = text.Length > max ? string.Concat(text[..max], "...") : text.ToString();
        return s.ReplaceLineEndings(" ");
    }
}
