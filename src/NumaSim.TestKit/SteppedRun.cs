using NumaSim.Actors.Coordination;
using NumaSim.Workloads.Config;

namespace NumaSim.TestKit;

/// <summary>
/// A scenario run a test advances by hand: to a simulated time, round by round, or to the end, asserting on the
/// state at each stop (<see cref="NumaSimTestKit.Start"/>). Each stop shows the state an uninterrupted run of the
/// same scenario passes through.
/// </summary>
public sealed class SteppedRun : IDisposable
{
    private readonly SimulationSession _session;

    internal SteppedRun(SimulationSession session) => _session = session;

    /// <summary>The run reached its end.</summary>
    public bool Finished => _session.Finished;

    /// <summary>Runs until nothing is left before <paramref name="simulatedTime"/> ("50us") and gives the state there.</summary>
    public async Task<SimulationState> RunUntilAsync(string simulatedTime, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(simulatedTime);
        if (!Units.TryParseNanoseconds(simulatedTime, out var ns))
        {
            throw new ArgumentException($"expected a duration such as 150ns or 2us, found \"{simulatedTime}\"", nameof(simulatedTime));
        }
        return new SimulationState(await _session.RunUntilAsync(ns, cancel).ConfigureAwait(false));
    }

    /// <summary>Runs <paramref name="rounds"/> rounds of the clock: each runs every component with work up to the
    /// time nothing can still reach it from the others.</summary>
    public async Task<SimulationState> StepAsync(int rounds = 1, CancellationToken cancel = default) =>
        new(await _session.StepAsync(rounds, cancel).ConfigureAwait(false));

    /// <summary>Runs until the workload is done (or the scenario's stop time) and gives the final state.</summary>
    public async Task<SimulationState> RunToEndAsync(CancellationToken cancel = default) =>
        new(await _session.RunToEndAsync(cancel).ConfigureAwait(false));

    /// <summary>Stops the run where it is and releases its actors.</summary>
    public void Dispose() => _session.Dispose();
}
