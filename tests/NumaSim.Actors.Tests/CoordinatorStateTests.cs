using Akka.Actor;
using Akka.TestKit.Xunit2;
using NumaSim.Actors.Coordination;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Snapshots;
using NumaSim.Results;
using NumaSim.Workloads.Config;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Tests;

/// <summary>The coordinator's states: idle, readying and wiring the nodes, rounds, and what happens between rounds.</summary>
public sealed class CoordinatorStateTests : TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static Scenario Small() => new(
        "small", 3, TestMachines.TwoNodes(8192), LatencyModel.Default, 0, 0,
        [
            new WorkloadStream([0, 1], 200, 100, MemPolicy.Default, [new AllocationKind(1, 0, Gfp.Kernel, 1_000)]),
        ]);

    private static Scenario KmallocStorm() =>
        ScenarioLoader.Load(Path.Combine(ShippedConfig.Directory, "scenarios", "kmalloc-storm.conf"));

    private IActorRef Coordinator(Scenario scenario) =>
        Sys.ActorOf(CoordinatorActor.Props(scenario, new PageAllocatorSetup(scenario.Topology), null));

    [Fact]
    public void An_idle_coordinator_answers_nothing_but_a_start()
    {
        var coordinator = Coordinator(Small());

        coordinator.Tell(new ContinueSimulation(null));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        coordinator.Tell(StartSimulation.Instance);
        var end = ExpectMsg<SimulationOutcome>(Patience);
        Assert.False(end.Paused);
        Assert.Null(end.IncompleteReason);
        Assert.Equal(2, end.Nodes.Count);
    }

    [Fact]
    public void A_paused_run_waits_between_rounds_and_goes_on_to_the_same_end()
    {
        var coordinator = Coordinator(Small());
        coordinator.Tell(StartSimulation.Instance with { Pause = new PausePoint(long.MaxValue, 1) });
        var first = ExpectMsg<SimulationOutcome>(Patience);
        Assert.True(first.Paused);
        Assert.StartsWith("paused at ", first.IncompleteReason, StringComparison.Ordinal);

        // Paused: a second start is not a state it knows; only a continue moves it.
        coordinator.Tell(StartSimulation.Instance);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        coordinator.Tell(new ContinueSimulation(new PausePoint(long.MaxValue, 3)));
        var stepped = ExpectMsg<SimulationOutcome>(Patience);
        Assert.True(stepped.Paused);
        Assert.Equal(first.Rounds + 3, stepped.Rounds);

        coordinator.Tell(new ContinueSimulation(null));
        var end = ExpectMsg<SimulationOutcome>(Patience);
        Assert.False(end.Paused);
        Assert.Null(end.IncompleteReason);

        var straight = Coordinator(Small());
        straight.Tell(StartSimulation.Instance);
        var whole = ExpectMsg<SimulationOutcome>(Patience);
        Assert.Equal(whole.SimulatedNs, end.SimulatedNs);
        Assert.Equal(whole.Rounds, end.Rounds);

        coordinator.Tell(new ContinueSimulation(null));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Samples_and_live_slabinfo_are_taken_between_rounds_without_changing_the_run()
    {
        var samples = new List<TimelinePoint>();
        var peeks = new List<IReadOnlyList<SlabCacheSnapshot>>();
        var observed = await SimulationRunner.RunAsync(
            KmallocStorm(), liveSlabs: new SlabinfoFeed(peeks.Add, TimeSpan.Zero), observers: new RunObservers { Sample = samples.Add });
        var plain = await SimulationRunner.RunAsync(KmallocStorm());

        Assert.Equal(plain.Summary.SimulatedNs, observed.Summary.SimulatedNs);
        Assert.Equal(plain.Summary.Clock.Rounds, observed.Summary.Clock.Rounds);
        Assert.Equal(plain.Machine.Zones.Select(z => z.FreePages), observed.Machine.Zones.Select(z => z.FreePages));
        Assert.True(samples.Count > 2, $"{samples.Count} samples");
        Assert.True(peeks.Count > 2, $"{peeks.Count} peeks");
        // Samples are taken in simulated-time order, each with every zone of the machine.
        Assert.Equal(samples.Select(s => s.SimulatedNs).Order(), samples.Select(s => s.SimulatedNs));
        Assert.All(samples, s => Assert.Equal(plain.Machine.Zones.Count(z => z.Spec.Managed > 0), s.Zones.Count));
    }

    [Theory]
    [InlineData("kmalloc-storm")]
    [InlineData("kswapd")]
    [InlineData("page-cache")]
    [InlineData("oom")]
    [InlineData("fragmentation")]
    public async Task A_sample_from_each_components_counters_is_the_point_the_whole_folded_state_gives(string name)
    {
        var scenario = ScenarioLoader.Load(Path.Combine(ShippedConfig.Directory, "scenarios", name + ".conf"));
        var light = new List<TimelinePoint>();
        var whole = new List<TimelinePoint>();

        await SimulationRunner.RunAsync(scenario, observers: new RunObservers { Sample = light.Add });
        await SimulationRunner.RunAsync(scenario, observers: new RunObservers { Sample = whole.Add, SampleWholeState = true });

        Assert.True(light.Count > 2, $"{light.Count} samples");
        Assert.Equal(whole.Select(Render), light.Select(Render));
        // The samples see the machine change: reclaim, page cache or allocations move something between them.
        Assert.True(light.Select(Render).Skip(1).Distinct().Count() > 1, "every sample the same");
    }

    private static string Render(TimelinePoint p) =>
        $"{p.SimulatedNs} [{string.Join(',', p.FreePagesByOrder)}] {string.Join(';', p.Zones)} {string.Join(';', p.Nodes)} {p.Reclaimed}";
}
