namespace NumaSim.Oracle.Compare;

/// <summary>
/// When a simulated delta agrees with the kernel's: within a relative tolerance of the larger of the two, or
/// within an absolute floor. The floor is the guest's own noise: starting the tasks, the shell and the cat
/// processes that dump the counters cost the kernel about 1,000-1,600 allocations and faults, which the empty run
/// measures and subtracts; what is left is under 100 allocations when the tasks do nothing, and up to about 300
/// on the other node when they fault in huge pages. A relative tolerance alone would fail every small counter on
/// that noise; the floor is 512 pages (one huge page, 2 MiB; 2048 for kB counters), far under 3 % of the few
/// hundred MiB a fidelity scenario touches.
/// </summary>
public sealed record Tolerance(double Relative, long FloorPages = Tolerance.DefaultFloorPages)
{
    public const long DefaultFloorPages = 512;

    /// <summary>The absolute floor in the counter's unit: meminfo prints kB (pages x 4), the rest count pages or events.</summary>
    public long FloorFor(string key) =>
        key.StartsWith("meminfo ", StringComparison.Ordinal) && !key.Contains("HugePages_", StringComparison.Ordinal) ? FloorPages * 4 : FloorPages;

    public bool Agrees(string key, long real, long simulated)
    {
        var difference = Math.Abs(real - simulated);
        return difference <= FloorFor(key) || difference <= Relative * Math.Max(Math.Abs(real), Math.Abs(simulated));
    }
}
