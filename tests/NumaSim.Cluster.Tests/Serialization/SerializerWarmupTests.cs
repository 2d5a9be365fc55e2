using NumaSim.Actors.Messages;
using NumaSim.Cluster.Serialization;

namespace NumaSim.Cluster.Tests.Serialization;

public sealed class SerializerWarmupTests(SerializerFixture fixture) : IClassFixture<SerializerFixture>
{
    [Fact]
    public void The_warmup_sends_every_cross_process_message_and_payload_both_ways_but_a_migrating_task()
    {
        var warmth = SerializerWarmup.Warm(fixture.System);

        // A migrating task never crosses processes (its formatter refuses it); anything else refused is a type whose first
        // use in a run would still compile its formatter on the rounds' critical path.
        Assert.Equal([typeof(TaskMigration)], warmth.Refused);
    }

    [Fact]
    public void A_sample_fills_every_collection_so_that_its_element_formatters_are_reached()
    {
        var sample = Assert.IsType<NodeDone>(MessageSamples.Of(typeof(NodeDone)));
        var done = Assert.Single(sample.Components);
        Assert.Single(done.Sent);
        Assert.NotNull(done.View);

        var round = Assert.IsType<RunRound>(MessageSamples.Of(typeof(RunRound)));
        Assert.Single(round.Until);
        Assert.Single(round.Views);

        var relayed = Assert.IsType<RelayedBatches>(MessageSamples.Of(typeof(RelayedBatches)));
        Assert.NotNull(Assert.Single(Assert.Single(relayed.Batches).Events).Payload);
    }

    [Fact]
    public void A_type_that_holds_itself_gets_a_sample_built_once_with_the_inner_one_left_null()
    {
        var sample = Assert.IsType<Chain>(MessageSamples.Of(typeof(Chain)));

        Assert.Null(sample.Next);
        Assert.Equal([null], sample.Branches);
        Assert.Same(sample.Left, sample.Right);
    }

    public sealed record Leaf(int Value);

    public sealed record Chain(Chain? Next, List<Chain?> Branches, Leaf Left, Leaf Right);
}
