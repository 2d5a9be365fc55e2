using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using MessagePack;
using NumaSim.Actors.Messages;

namespace NumaSim.Cluster.Serialization;

/// <summary>
/// MessagePack serializer of every <see cref="ISimMessage"/> between processes (bound by HOCON in
/// <see cref="Hosting.ClusterConfig"/>). Manifests are the messages' short type names; an unknown one is a
/// <see cref="SerializationException"/>, so Akka drops that message and keeps the connection.
/// </summary>
public sealed class SimMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4242;

    private readonly MessagePackSerializerOptions _options = SimResolver.Options(system);

    public override int Identifier => Id;

    public override string Manifest(object o) => o.GetType().Name;

    public override byte[] ToBinary(object obj)
    {
        if (obj is not ISimMessage)
        {
            throw new ArgumentException($"{obj.GetType()} is not an ISimMessage", nameof(obj));
        }
        return TypedCodec.For(obj.GetType()).ToBinary(obj, _options);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!SimMessageTypes.ByManifest.TryGetValue(manifest, out var type))
        {
            throw new SerializationException($"unknown NumaSim message manifest '{manifest}'");
        }
        try
        {
            return TypedCodec.For(type).FromBinary(bytes, _options)
                ?? throw new SerializationException($"{manifest}: empty message");
        }
        catch (MessagePackSerializationException e)
        {
            throw new SerializationException($"{manifest}: {e.Message}", e);
        }
    }
}
