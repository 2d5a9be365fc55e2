using System.Diagnostics;
using Akka.Actor;
using NumaSim.Model.PageAlloc;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Coordination;

/// <summary>
/// A run a caller advances by hand, between rounds of the clock: to a simulated time, by a number of rounds, or
/// to the end, looking at the machine's state at each stop. The states are those an uninterrupted run passes
/// through: a pause only holds the clock, it changes nothing that is simulated.
/// </summary>
public sealed class SimulationSession : IDisposable
{
    private readonly ActorSystem _system;
    private readonly Scenario _scenario;
    private readonly IActorRef _coordinator;
    private readonly Stopwatch _wall = new();
    private bool _started;

    public SimulationSession(ActorSystem system, Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(scenario);
        _system = system;
        _scenario = scenario;
        _coordinator = system.ActorOf(CoordinatorActor.Props(scenario, scenario.AllocatorSetup(), null));
    }

    /// <summary>The run reached its end: nothing more to advance.</summary>
    public bool Finished { get; private set; }

    /// <summary>Runs until nothing is left before <paramref name="simulatedNs"/>; the result is the state there.</summary>
    public Task<SimulationResult> RunUntilAsync(long simulatedNs, CancellationToken cancel = default) =>
        AdvanceAsync(new PausePoint(simulatedNs), cancel);

    /// <summary>Runs <paramref name="rounds"/> rounds of the clock (each runs every component with work to its horizon).</summary>
    public Task<SimulationResult> StepAsync(int rounds = 1, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        return AdvanceAsync(new PausePoint(long.MaxValue, rounds), cancel);
    }

    public Task<SimulationResult> RunToEndAsync(CancellationToken cancel = default) => AdvanceAsync(null, cancel);

    private async Task<SimulationResult> AdvanceAsync(PausePoint? pause, CancellationToken cancel)
    {
        if (Finished)
        {
            throw new InvalidOperationException("the run has ended");
        }
        _wall.Start();
        object message = _started ? new ContinueSimulation(pause) : StartSimulation.Instance with { Pause = pause };
        _started = true;
        var outcome = await _coordinator.Ask<SimulationOutcome>(message, Timeout.InfiniteTimeSpan, cancel).ConfigureAwait(false);
        _wall.Stop();
        Finished = !outcome.Paused;
        return SimulationRunner.Fold(_scenario, outcome, _wall.Elapsed.TotalSeconds, SimulationRunner.LocalMembers(_scenario));
    }

    public void Dispose() => _system.Stop(_coordinator);
}
