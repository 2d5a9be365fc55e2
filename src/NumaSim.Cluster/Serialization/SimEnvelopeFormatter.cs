using MessagePack;
using MessagePack.Formatters;
using NumaSim.Actors.Messages;
using NumaSim.Model.Sim;

namespace NumaSim.Cluster.Serialization;

/// <summary>
/// The hot path of cross-process traffic: an envelope as a 5-element array
/// [destination, time, source, sequence, payload] instead of the contractless map of names.
/// </summary>
internal sealed class SimEnvelopeFormatter : IMessagePackFormatter<SimEnvelope>
{
    public static SimEnvelopeFormatter Instance { get; } = new();

    public void Serialize(ref MessagePackWriter writer, SimEnvelope value, MessagePackSerializerOptions options)
    {
        writer.WriteArrayHeader(5);
        writer.Write(value.Destination);
        writer.Write(value.Key.Time);
        writer.Write(value.Key.Source);
        writer.Write(value.Key.Sequence);
        PayloadFormatter.Instance.Serialize(ref writer, value.Payload, options);
    }

    public SimEnvelope Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.ReadArrayHeader() != 5)
        {
            throw new MessagePackSerializationException("envelope: expected 5 elements");
        }
        var destination = reader.ReadInt32();
        var key = new SimEventKey(reader.ReadInt64(), reader.ReadInt32(), reader.ReadInt64());
        var payload = PayloadFormatter.Instance.Deserialize(ref reader, options)
            ?? throw new MessagePackSerializationException("envelope without payload");
        return new SimEnvelope(destination, key, payload);
    }
}
