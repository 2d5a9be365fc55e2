using Akka.TestKit;
using NumaSim.Actors.Coordination;
using NumaSim.Actors.Observation;
using Xunit.Abstractions;

namespace NumaSim.TestKit;

/// <summary>
/// The base class of a NUMA scenario test (Akka.TestKit.Xunit2): run a <see cref="NumaScenario"/> on this test's
/// actor system and assert on the <see cref="SimulationState"/> it leaves; <see cref="Listen{T}"/> gives a
/// TestProbe that receives what the simulated machine does (remote allocations, IPIs, faults, kernel reports),
/// each stamped with its simulated time, for ExpectMsg, FishForMessage and ExpectNoMsg. Simulated time is the
/// model's: a run takes as long as its events take to compute, never a sleep.
/// </summary>
public abstract class NumaSimTestKit : Akka.TestKit.Xunit2.TestKit
{
    private bool _observed;

    /// <summary>An actor system configured as `numasim run` configures its own; <paramref name="output"/> receives
    /// its log.</summary>
    protected NumaSimTestKit(ITestOutputHelper? output = null)
        : base(SimulationRunner.ActorSystemConfig, output: output)
    {
    }

    /// <summary>Runs the scenario until its workload is done (or its <see cref="NumaScenario.StopAt"/> time).</summary>
    protected async Task<SimulationState> RunAsync(NumaScenario scenario, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var loaded = scenario.Build() with { Observed = _observed };
        return new SimulationState(await SimulationRunner.RunAsync(Sys, loaded, cancel: cancel).ConfigureAwait(false));
    }

    /// <summary>Runs the scenario up to a simulated time ("200us"): the state there, with the rest of the workload undone.</summary>
    protected Task<SimulationState> RunUntilAsync(NumaScenario scenario, string simulatedTime, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return RunAsync(scenario.StopAt(simulatedTime), cancel);
    }

    /// <summary>A run advanced by hand: <see cref="SteppedRun.RunUntilAsync"/>, <see cref="SteppedRun.StepAsync"/>,
    /// <see cref="SteppedRun.RunToEndAsync"/>. Nothing runs until the first of them.</summary>
    protected SteppedRun Start(NumaScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return new SteppedRun(new SimulationSession(Sys, scenario.Build() with { Observed = _observed }));
    }

    /// <summary>
    /// A probe that receives every <typeparamref name="T"/> the next runs observe (<see cref="SimObservation"/> for
    /// all of them), in the order each component met them; each carries its simulated time.
    /// </summary>
    protected TestProbe Listen<T>()
        where T : SimObservation
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(T));
        _observed = true;
        return probe;
    }
}
