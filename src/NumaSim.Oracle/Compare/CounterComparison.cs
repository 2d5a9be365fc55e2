namespace NumaSim.Oracle.Compare;

/// <summary>How one counter came out.</summary>
public enum Verdict
{
    Agrees,
    Disagrees,

    /// <summary>The kernel moved it; the simulator does not compute it at all yet. Reported, never dropped.</summary>
    NotModelled,

    /// <summary>The simulator prints it (as the newer kernel it follows does); the kernel validated against has no such counter.</summary>
    NotInKernel,
}

/// <summary>One counter that moved on either side: the kernel's delta (less the empty run's) and the simulator's.</summary>
public sealed record CounterRow(string Counter, long Real, long Simulated, Verdict Verdict)
{
    public long Difference => Simulated - Real;

    /// <summary>The difference relative to the kernel's value; null when the kernel's is 0.</summary>
    public double? Relative => Real == 0 ? null : (double)Difference / Math.Abs(Real);
}

/// <summary>The counters of a validation side by side.</summary>
public sealed record CounterComparison(IReadOnlyList<CounterRow> Rows)
{
    /// <summary>Whether every modelled counter agrees; counters not modelled or not in the kernel do not count (they are listed).</summary>
    public bool Agrees => Rows.All(r => r.Verdict != Verdict.Disagrees);

    /// <summary>
    /// The real delta is the run's (held minus before) less the empty run's, which started the same processes with
    /// no steps; the simulated delta is the end of the run less its start.
    /// </summary>
    public static IReadOnlyDictionary<string, long> RealDelta(CounterSet before, CounterSet held, CounterSet emptyBefore, CounterSet emptyHeld)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(emptyHeld);
        var run = held.Minus(before);
        var noise = emptyHeld.Minus(emptyBefore);
        return run.Keys.Union(noise.Keys).ToDictionary(k => k, k => run.GetValueOrDefault(k) - noise.GetValueOrDefault(k), StringComparer.Ordinal);
    }

    /// <summary>
    /// Every counter either side moved, in the order numastat, vmstat, meminfo, each by name. <paramref name="real"/>
    /// holds every counter the kernel printed (moved or not): a simulated counter missing there is not in that kernel.
    /// </summary>
    public static CounterComparison Of(IReadOnlyDictionary<string, long> real, IReadOnlyDictionary<string, long> simulated, ModelledCounters modelled, Tolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(simulated);
        ArgumentNullException.ThrowIfNull(modelled);
        ArgumentNullException.ThrowIfNull(tolerance);
        var rows = new List<CounterRow>();
        foreach (var key in real.Keys.Union(simulated.Keys).OrderBy(Group).ThenBy(k => k, StringComparer.Ordinal))
        {
            var r = real.GetValueOrDefault(key);
            var s = simulated.GetValueOrDefault(key);
            if (r == 0 && s == 0)
            {
                continue;
            }
            var verdict = !real.ContainsKey(key) ? Verdict.NotInKernel
                : !modelled.Models(key) ? Verdict.NotModelled
                : tolerance.Agrees(key, r, s) ? Verdict.Agrees
                : Verdict.Disagrees;
            rows.Add(new CounterRow(key, r, s, verdict));
        }
        return new CounterComparison(rows);
    }

    private static int Group(string key) => key.Split(' ')[0] switch
    {
        "numastat" => 0,
        "vmstat" => 1,
        _ => 2,
    };
}
