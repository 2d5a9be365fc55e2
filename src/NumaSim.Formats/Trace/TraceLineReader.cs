using System.Runtime.CompilerServices;

namespace NumaSim.Formats.Trace;

/// <summary>
/// The lines of a trace, each as a span that stays valid until the next call: a StreamReader or StringReader is
/// read in blocks into one reused buffer, so a trace of millions of lines makes no string per line; any other
/// TextReader is read with ReadLine. Lines end at "\n", "\r\n" or "\r", as ReadLine ends them.
/// </summary>
internal sealed class TraceLineReader
{
    private const int InitialBuffer = 1 << 16;

    /// <summary>The longest line read: a kmem line is a few hundred characters, and a file with no line end
    /// (not a trace) must not grow the buffer without bound.</summary>
    public const int MaxLineLength = 1 << 20;

    private readonly TextReader _reader;
    private readonly bool _byLine;
    private char[] _buffer = [];
    private int _start;
    private int _end;
    private bool _eof;

    public TraceLineReader(TextReader reader)
    {
        _reader = reader;
        _byLine = reader is not (StreamReader or StringReader);
        if (!_byLine)
        {
            _buffer = new char[InitialBuffer];
        }
    }

    /// <summary>The next line without its end; false after the last one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        if (_byLine)
        {
            var text = _reader.ReadLine();
            line = text;
            return text is null || text.Length <= MaxLineLength
                ? text is not null
                : throw new InvalidDataException($"a line longer than {MaxLineLength} characters: not an ftrace text trace");
        }
        var scanned = 0;
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var at = pending[scanned..].IndexOfAny('\r', '\n');
            if (at >= 0)
            {
                at += scanned;
                var length = 1;
                if (pending[at] == '\r')
                {
                    if (at + 1 == pending.Length && !_eof)
                    {
                        // A "\r" last in the buffer may be the first half of "\r\n".
                        scanned = at;
                        Fill();
                        continue;
                    }
                    if (at + 1 < pending.Length && pending[at + 1] == '\n')
                    {
                        length = 2;
                    }
                }
                line = pending[..at];
                _start += at + length;
                return true;
            }
            if (_eof)
            {
                line = pending;
                _start = _end;
                return !pending.IsEmpty;
            }
            scanned = pending.Length;
            Fill();
        }
    }

    /// <summary>Moves the unread text to the front of the buffer (growing it when one line fills it) and reads more.</summary>
    private void Fill()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, pending);
            _start = 0;
            _end = pending;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxLineLength)
            {
                throw new InvalidDataException($"a line longer than {MaxLineLength} characters: not an ftrace text trace");
            }
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        var read = _reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }
        _end += read;
    }
}
