using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;

namespace NumaSim.EndToEnd.Tests.Support;

/// <summary>One span as an OTLP collector receives it, with the resource of the process that sent it.</summary>
public sealed record ReceivedSpan(string ServiceName, string InstanceId, string TraceId, string SpanId, string ParentSpanId, string Name);

/// <summary>
/// A minimal OTLP/HTTP collector on 127.0.0.1: accepts http/protobuf POSTs to /v1/traces (and
/// /v1/metrics, ignored) and decodes ExportTraceServiceRequest by field numbers, so no generated
/// OTLP types are needed. Spans keep their resource's service.instance.id: spans from several
/// member processes of one run can be told apart and matched by trace id.
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly Task _loop;

    public OtlpReceiver()
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public int TraceRequests { get; private set; }

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the listener was closed under a pending request
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
            if (context.Request.Url?.AbsolutePath == "/v1/traces")
            {
                TraceRequests++;
                Decode(body.ToArray());
            }
            // An empty body is an empty Export*ServiceResponse: everything accepted.
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    // ExportTraceServiceRequest { 1: ResourceSpans } ResourceSpans { 1: Resource, 2: ScopeSpans }
    // Resource { 1: KeyValue } ScopeSpans { 2: Span } Span { 1: trace_id, 2: span_id, 4: parent_span_id, 5: name }
    private void Decode(byte[] request)
    {
        foreach (var resourceSpans in Fields(request, 1))
        {
            var attributes = Fields(resourceSpans, 1).SelectMany(r => Fields(r, 1)).Select(KeyValue).ToDictionary(kv => kv.Key, kv => kv.Value);
            var service = attributes.GetValueOrDefault("service.name", "");
            var instance = attributes.GetValueOrDefault("service.instance.id", "");
            foreach (var span in Fields(resourceSpans, 2).SelectMany(s => Fields(s, 2)))
            {
                _spans.Enqueue(new ReceivedSpan(
                    service,
                    instance,
                    Hex(Fields(span, 1).FirstOrDefault()),
                    Hex(Fields(span, 2).FirstOrDefault()),
                    Hex(Fields(span, 4).FirstOrDefault()),
                    Fields(span, 5).Select(b => b.ToStringUtf8()).FirstOrDefault() ?? ""));
            }
        }
    }

    // KeyValue { 1: key, 2: AnyValue { 1: string_value } }
    private static (string Key, string Value) KeyValue(ByteString kv) =>
        (Fields(kv, 1).Single().ToStringUtf8(), Fields(kv, 2).SelectMany(v => Fields(v, 1)).Select(s => s.ToStringUtf8()).FirstOrDefault() ?? "");

    private static List<ByteString> Fields(byte[] message, int field) => Fields(ByteString.CopyFrom(message), field);

    /// <summary>The length-delimited values of one field number in a protobuf message.</summary>
    private static List<ByteString> Fields(ByteString message, int field)
    {
        var found = new List<ByteString>();
        var input = message.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                var bytes = input.ReadBytes();
                if (WireFormat.GetTagFieldNumber(tag) == field)
                {
                    found.Add(bytes);
                }
            }
            else
            {
                input.SkipLastField();
            }
        }
        return found;
    }

    private static string Hex(ByteString? bytes) => bytes is null ? "" : Convert.ToHexStringLower(bytes.ToByteArray());
}
