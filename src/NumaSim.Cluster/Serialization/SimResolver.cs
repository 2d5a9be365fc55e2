using Akka.Actor;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;
using NumaSim.Actors.Messages;

namespace NumaSim.Cluster.Serialization;

/// <summary>
/// Formatters for the simulation's messages: actor references, payloads behind their interface
/// and envelopes by hand; everything else (records, model snapshots, collections) generically by
/// their members, private state included, so a field added later is carried without a change here.
/// </summary>
internal static class SimResolver
{
    public static MessagePackSerializerOptions Options(ExtendedActorSystem system)
    {
        var actorRefs = new ActorRefFormatter(system);
        var resolver = CompositeResolver.Create(
            [actorRefs, new InterfaceActorRefFormatter(actorRefs), PayloadFormatter.Instance, SimEnvelopeFormatter.Instance, TaskMigrationFormatter.Instance],
            [StandardResolverAllowPrivate.Instance, ContractlessStandardResolverAllowPrivate.Instance]);
        // No LZ4: measured on loopback, compressing each round's messages cost more time than the
        // bytes it saved (throughput.conf on 2 processes: about 15-40 % slower with it).
        return MessagePackSerializerOptions.Standard
            .WithResolver(resolver)
            .WithCompression(MessagePackCompression.None)
            .WithSecurity(MessagePackSecurity.UntrustedData);
    }

    /// <summary>The same formatter for members typed <see cref="IActorRef"/> declared as non-nullable.</summary>
    private sealed class InterfaceActorRefFormatter(ActorRefFormatter inner) : IMessagePackFormatter<IActorRef>
    {
        public void Serialize(ref MessagePackWriter writer, IActorRef value, MessagePackSerializerOptions options) => inner.Serialize(ref writer, value, options);

        public IActorRef Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
            inner.Deserialize(ref reader, options) ?? ActorRefs.Nobody;
    }
}
