using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using NumaSim.Cluster.Serialization;

namespace NumaSim.Cluster.Tests.Serialization;

/// <summary>An actor system with the cluster serializer bound, and a round trip through it.</summary>
public sealed class SerializerFixture : IDisposable
{
    public SerializerFixture()
    {
        System = (ExtendedActorSystem)ActorSystem.Create("serializer-test", SerializationConfig.Hocon.WithFallback(ConfigurationFactory.Default()));
        Serializer = (SerializerWithStringManifest)System.Serialization.FindSerializerForType(typeof(NumaSim.Actors.Messages.EventBatch));
    }

    public ExtendedActorSystem System { get; }

    public SerializerWithStringManifest Serializer { get; }

    public (byte[] Bytes, object Back, byte[] Again) RoundTrip(object message)
    {
        var bytes = Serializer.ToBinary(message);
        var back = Serializer.FromBinary(bytes, Serializer.Manifest(message));
        return (bytes, back, Serializer.ToBinary(back));
    }

    public void Dispose() => System.Terminate().Wait(TimeSpan.FromSeconds(10));
}
