using Akka.Actor;
using MessagePack;
using MessagePack.Formatters;

namespace NumaSim.Cluster.Serialization;

/// <summary>An actor reference travels as its serialized path (with this system's address) and is resolved on arrival.</summary>
internal sealed class ActorRefFormatter(ExtendedActorSystem system) : IMessagePackFormatter<IActorRef?>
{
    public void Serialize(ref MessagePackWriter writer, IActorRef? value, MessagePackSerializerOptions options)
    {
        if (value is null || value.IsNobody())
        {
            writer.WriteNil();
            return;
        }
        writer.Write(Akka.Serialization.Serialization.SerializedActorPath(value));
    }

    public IActorRef? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }
        var path = reader.ReadString() ?? throw new MessagePackSerializationException("actor path is null");
        return system.Provider.ResolveActorRef(path);
    }
}
