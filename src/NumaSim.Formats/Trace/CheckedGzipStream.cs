using System.Buffers.Binary;
using System.IO.Compression;

namespace NumaSim.Formats.Trace;

/// <summary>
/// Inflates gzip data and, at its end, checks the trailer (CRC-32 and ISIZE, RFC 1952) against what came out:
/// GZipStream ends quietly where a truncated file ends, so without the check a cut-off trace would read as a
/// shorter complete one. Concatenated gzip members are checked as one (the last trailer against all the data) and
/// therefore refused: `zcat a.gz b.gz | gzip` makes them one member.
/// </summary>
internal sealed class CheckedGzipStream : ReadOnlyStream
{
    private readonly TailStream _compressed;
    private readonly GZipStream _inflate;
    private uint _crc;
    private long _length;
    private bool _checked;

    public CheckedGzipStream(Stream compressed)
    {
        _compressed = new TailStream(compressed);
        _inflate = new GZipStream(_compressed, CompressionMode.Decompress);
    }

    public override int Read(Span<byte> buffer)
    {
        var n = _inflate.Read(buffer);
        if (n > 0)
        {
            _crc = Crc32.Append(_crc, buffer[..n]);
            _length += n;
            return n;
        }
        if (!_checked && buffer.Length > 0)
        {
            _checked = true;
            Check();
        }
        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inflate.Dispose();
        }
        base.Dispose(disposing);
    }

    private void Check()
    {
        var tail = _compressed.Tail;
        if (tail.Length < 8)
        {
            throw new InvalidDataException("gzip data ends before its trailer (truncated)");
        }
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(tail);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(tail[4..]);
        if (crc != _crc || size != (uint)_length)
        {
            throw new InvalidDataException(
                $"gzip data is truncated or corrupt: its trailer does not match the {_length} bytes inflated (gzip -t tests it; concatenated gzip members are not read)");
        }
    }

    /// <summary>The compressed stream, remembering its last 8 bytes (the trailer once it has ended).</summary>
    private sealed class TailStream(Stream inner) : ReadOnlyStream
    {
        private readonly byte[] _tail = new byte[8];
        private int _tailLength;

        public ReadOnlySpan<byte> Tail => _tail.AsSpan(0, _tailLength);

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            var read = buffer[..n];
            if (n >= 8)
            {
                read[^8..].CopyTo(_tail);
                _tailLength = 8;
            }
            else if (n > 0)
            {
                var keep = Math.Min(_tailLength, 8 - n);
                _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
                read.CopyTo(_tail.AsSpan(keep));
                _tailLength = keep + n;
            }
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
