using MessagePack;
using NumaSim.Actors.Messages;
using NumaSim.Cluster.Serialization;

namespace NumaSim.Cluster.Tests.Serialization;

public sealed class TypedCodecTests(SerializerFixture fixture) : IClassFixture<SerializerFixture>
{
    [Fact]
    public void A_codec_writes_the_bytes_of_messagepacks_own_entry_point_and_reads_them_back()
    {
        var options = SimResolver.Options(fixture.System);
        foreach (var type in new[] { typeof(RunRound), typeof(NodeDone), typeof(RelayedBatches), typeof(NodeState) })
        {
            var sample = MessageSamples.Of(type)!;
            var bytes = TypedCodec.For(type).ToBinary(sample, options);

            Assert.Equal(MessagePackSerializer.Serialize(type, sample, options), bytes);
            var back = TypedCodec.For(type).FromBinary(bytes, options);
            Assert.IsType(type, back);
            Assert.Equal(bytes, TypedCodec.For(type).ToBinary(back!, options));
        }
    }
}
