using System.Text;

namespace NumaSim.Formats.Trace;

/// <summary>The UTF-8 reader <see cref="TraceSource"/> returns; remembers whether it decompresses.</summary>
internal sealed class TraceReader(Stream stream, bool isGzip, int bufferSize)
    : StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: true, bufferSize)
{
    public bool IsGzip { get; } = isGzip;
}
