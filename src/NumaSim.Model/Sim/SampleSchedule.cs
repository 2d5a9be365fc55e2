namespace NumaSim.Model.Sim;

/// <summary>
/// Points of simulated time at which to sample a run, unknown length and all: a fixed interval
/// that doubles after every <c>perDoubling</c> samples, so a run of any length gets a few hundred
/// samples at most. The points depend only on the simulated times offered, never on wall time,
/// so the same scenario and seed sample the same states.
/// </summary>
public sealed class SampleSchedule(long firstIntervalNs, int perDoubling)
{
    private long _interval = Math.Max(1, firstIntervalNs);
    private long _next;
    private int _taken;

    public bool Due(long simulatedNs) => simulatedNs >= _next;

    /// <summary>Records a sample at <paramref name="simulatedNs"/>; the next is due one interval later on the interval's grid.</summary>
    public void Taken(long simulatedNs)
    {
        if (++_taken % perDoubling == 0)
        {
            _interval *= 2;
        }
        _next = (simulatedNs / _interval + 1) * _interval;
    }
}
