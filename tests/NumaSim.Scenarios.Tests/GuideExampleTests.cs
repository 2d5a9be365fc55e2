// The example of docs/testkit.md, word for word (DocsTests checks that it stays so).
using NumaSim.Actors.Observation;
using NumaSim.TestKit;
using Xunit;

public sealed class InterleaveTests : NumaSimTestKit
{
    [Fact]
    public async Task Interleave_on_two_sockets_puts_half_the_pages_on_the_far_node()
    {
        var remote = Listen<RemoteAllocationServed>();
        var run = await RunAsync(NumaScenario.On("two-socket")
            .WithTasks("0-7", "64M", accesses: 20_000, pattern: "random", policy: "interleave:0-1", writeRatio: 1));

        var all = run.Numastat(0).Hit + run.Numastat(1).Hit;
        Assert.InRange(run.Numastat(1).Other, 0.45 * all, 0.55 * all);
        Assert.True(run.Latency("tlb_hit_remote").P99 < 300);
        Assert.Equal(1, remote.ExpectMsg<RemoteAllocationServed>().ZoneNode);
    }
}
