using System.Runtime.Serialization;
using NumaSim.Actors.Messages;
using NumaSim.Cluster.Serialization;

namespace NumaSim.Cluster.Tests.Serialization;

public sealed class SimMessageSerializerTests(SerializerFixture fixture) : IClassFixture<SerializerFixture>
{
    [Fact]
    public void Every_simulation_message_is_bound_to_the_cluster_serializer_not_json()
    {
        Assert.NotEmpty(SimMessageTypes.Messages);
        foreach (var type in SimMessageTypes.Messages)
        {
            var serializer = fixture.System.Serialization.FindSerializerForType(type);
            Assert.True(serializer is SimMessageSerializer, $"{type.Name} is serialized by {serializer.GetType().Name}");
        }
        Assert.True(SimMessageSerializer.Id > 40);
    }

    [Fact]
    public void Manifests_are_short_and_name_one_type_each()
    {
        Assert.Equal(SimMessageTypes.Messages.Count, SimMessageTypes.ByManifest.Count);
        Assert.All(SimMessageTypes.ByManifest.Keys, m => Assert.True(m.Length <= 24, $"manifest {m} is long"));
        Assert.Equal("EventBatch", fixture.Serializer.Manifest(new EventBatch([])));
    }

    [Fact]
    public void An_unknown_manifest_is_a_serialization_exception()
    {
        var bytes = fixture.Serializer.ToBinary(new Wired(3));
        Assert.Throws<SerializationException>(() => fixture.Serializer.FromBinary(bytes, "NoSuchMessage"));
    }

    [Fact]
    public void Actor_references_travel_as_paths_and_resolve_to_the_same_actor()
    {
        var probe = fixture.System.ActorOf(Akka.Actor.Props.Empty, "some-node");
        var (_, back, _) = fixture.RoundTrip(new NodeReady(2, new Dictionary<int, Akka.Actor.IActorRef> { [7] = probe }));
        var ready = Assert.IsType<NodeReady>(back);
        Assert.Equal(2, ready.Node);
        Assert.Equal(probe.Path, ready.Components[7].Path);
        Assert.Equal(probe, ready.Components[7]);
    }

    [Fact]
    public void A_payload_that_cannot_cross_processes_is_refused_when_sent_not_lost_silently()
    {
        var batch = new EventBatch([new SimEnvelope(1, new Model.Sim.SimEventKey(1, 2, 3), new TaskMigration(new object()))]);
        Assert.ThrowsAny<Exception>(() => fixture.Serializer.ToBinary(batch));
    }
}
