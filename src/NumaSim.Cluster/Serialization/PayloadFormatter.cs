using MessagePack;
using MessagePack.Formatters;
using NumaSim.Actors.Messages;

namespace NumaSim.Cluster.Serialization;

/// <summary>A payload behind the <see cref="ISimPayload"/> interface: [code, body], the code from <see cref="SimMessageTypes.PayloadCodes"/>.</summary>
internal sealed class PayloadFormatter : IMessagePackFormatter<ISimPayload?>
{
    public static PayloadFormatter Instance { get; } = new();

    public void Serialize(ref MessagePackWriter writer, ISimPayload? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }
        var type = value.GetType();
        if (!SimMessageTypes.PayloadCodes.TryGetValue(type, out var code))
        {
            throw new MessagePackSerializationException($"{type.Name} cannot travel between processes (not a public payload type)");
        }
        writer.WriteArrayHeader(2);
        writer.Write(code);
        TypedCodec.For(type).Serialize(ref writer, value, options);
    }

    public ISimPayload? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }
        if (reader.ReadArrayHeader() != 2)
        {
            throw new MessagePackSerializationException("payload: expected [code, body]");
        }
        var code = reader.ReadInt32();
        if (code < 0 || code >= SimMessageTypes.Payloads.Count)
        {
            throw new MessagePackSerializationException($"unknown payload code {code}");
        }
        return (ISimPayload?)TypedCodec.For(SimMessageTypes.Payloads[code]).Deserialize(ref reader, options);
    }
}
