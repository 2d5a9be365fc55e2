using System.Globalization;
using System.Runtime.CompilerServices;

namespace NumaSim.Formats.Trace;

/// <summary>
/// Reads a Linux ftrace text trace (`cat /sys/kernel/tracing/trace`, `trace-cmd report`) and
/// yields its kmem events one line at a time: a trace of any size streams through in constant
/// memory. Header and blank lines are passed over, other events counted and skipped, malformed
/// kmem lines counted and skipped (or, when <see cref="Strict"/>, reported by a FormatException
/// whose one-line message reads "FILE:LINE: EVENT: what is wrong").
/// </summary>
public sealed class FtraceKmemParser
{
    /// <summary>Throw on the first malformed kmem line instead of skipping it.</summary>
    public bool Strict { get; init; }

    /// <summary>The file name errors give for <see cref="Parse(TextReader, TraceStats)"/>.</summary>
    public string SourceName { get; init; } = "<stdin>";

    /// <summary>
    /// The kmem events of the trace, read lazily as the result is enumerated; <paramref name="stats"/>
    /// is updated as lines go by and is complete when the enumeration ends.
    /// </summary>
    /// <exception cref="FormatException">
    /// While enumerating, in strict mode: a malformed kmem line, or input that cannot be read (a truncated or
    /// corrupt gzip stream, a line without end); lenient parsing stops there and sets <see cref="TraceStats.ReadError"/>.
    /// </exception>
    public IEnumerable<KmemEvent> Parse(TextReader reader, TraceStats stats)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(stats);
        return Read(reader, stats, SourceName);
    }

    /// <summary>
    /// As <see cref="Parse(TextReader, TraceStats)"/> for the file <see cref="TraceSource.Open(string)"/>
    /// opens ("-" standard input, gzip by content); errors name <paramref name="path"/>. The file is
    /// opened when the enumeration starts and closed when it ends.
    /// </summary>
    /// <exception cref="FormatException">While enumerating: as Parse, and a missing or unreadable file.</exception>
    public IEnumerable<KmemEvent> ParseFile(string path, TraceStats stats)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(stats);
        return ReadFile(path, stats);
    }

    private IEnumerable<KmemEvent> ReadFile(string path, TraceStats stats)
    {
        using var reader = TraceSource.Open(path);
        foreach (var e in Read(reader, stats, TraceSource.DisplayName(path)))
        {
            yield return e;
        }
    }

    private IEnumerable<KmemEvent> Read(TextReader reader, TraceStats stats, string source)
    {
        var builder = new KmemEventBuilder();
        var lines = new TraceLineReader(reader);
        long lineNumber = 0;
        while (true)
        {
            KmemEvent? e;
            {
                if (!ReadLine(lines, source, lineNumber + 1, stats, out var line))
                {
                    yield break;
                }
                lineNumber++;
                e = ReadEvent(line, lineNumber, builder, stats, source);
            }
            if (e is not null)
            {
                yield return e;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private KmemEvent? ReadEvent(ReadOnlySpan<char> text, long lineNumber, KmemEventBuilder builder, TraceStats stats, string source)
    {
        stats.Lines++;
        var line = text.Trim();
        if (line.IsEmpty || line[0] == '#')
        {
            stats.HeaderLines++;
            return null;
        }
        if (!FtraceLine.TryParse(line, out var head, out var headError))
        {
            if (TryLostEvents(line, out var lost))
            {
                stats.LostEvents += lost;
                return null;
            }
            var guessed = KmemEventBuilder.GuessKmemName(line);
            if (guessed is null)
            {
                stats.Unrecognized++;
                return null;
            }
            stats.CountEvent(guessed);
            Malformed(stats, source, lineNumber, guessed, headError);
            return null;
        }
        var known = KmemEventBuilder.KnownIndex(head.Event);
        string name;
        if (known >= 0)
        {
            name = KmemEventBuilder.KnownName(known);
            stats.CountKmem(known);
        }
        else
        {
            name = builder.Intern(head.Event);
            stats.CountEvent(name);
        }
        var kind = known >= 0 ? KmemEventBuilder.Classify(name) : KmemEventKind.Other;
        if (kind == KmemEventKind.Other)
        {
            stats.Skipped++;
            return null;
        }
        var e = builder.Build(kind, name, head, lineNumber, out var error);
        if (error.Length > 0)
        {
            Malformed(stats, source, lineNumber, name, error);
            return null;
        }
        if (e is null)
        {
            stats.Skipped++;
            return null;
        }
        stats.Parsed++;
        return e;
    }

    private void Malformed(TraceStats stats, string source, long lineNumber, string name, string reason)
    {
        stats.AddMalformed(new MalformedLine(lineNumber, name, reason));
        if (Strict)
        {
            throw new FormatException($"{source}:{lineNumber}: {name}: {reason}".ReplaceLineEndings(" "));
        }
    }

    /// <summary>"CPU:2 [LOST 120 EVENTS]" or "CPU:2 [LOST EVENTS]".</summary>
    private static bool TryLostEvents(ReadOnlySpan<char> line, out long lost)
    {
        lost = 0;
        if (!line.StartsWith("CPU:", StringComparison.Ordinal) || !line.EndsWith(" EVENTS]", StringComparison.Ordinal))
        {
            return false;
        }
        var open = line.IndexOf(" [LOST", StringComparison.Ordinal);
        if (open < 0)
        {
            return false;
        }
        var count = line[(open + " [LOST".Length)..^" EVENTS]".Length].Trim();
        return count.IsEmpty || long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out lost);
    }

    /// <summary>The next line; input that cannot be read (a truncated or corrupt gzip, a line without end) is a
    /// FormatException, or when lenient the end of the trace with <see cref="TraceStats.ReadError"/> saying why.</summary>
    private bool ReadLine(TraceLineReader lines, string source, long lineNumber, TraceStats stats, out ReadOnlySpan<char> line)
    {
        try
        {
            return lines.TryReadLine(out line);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            var message = $"{source}:{lineNumber}: cannot read: {e.Message}".ReplaceLineEndings(" ");
            if (Strict)
            {
                throw new FormatException(message, e);
            }
            stats.ReadError = message;
            line = default;
            return false;
        }
    }
}
