using NumaSim.Workloads.Kernel;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Coordination;

/// <summary>
/// How much a run has to do, as far as its scenario says, counted as the components count
/// <see cref="SimProgress.Operations"/>: what a progress line's estimate of the time left divides by. Operations are
/// known when every workload has a count (streams, working-set tasks, touch and read-file steps, a kernel script); an access step
/// runs for a simulated time instead, and then only <c>max-time</c>, if set, bounds the run.
/// </summary>
public sealed record PlannedWork(long? Operations, long? SimulatedNs)
{
    public static PlannedWork None { get; } = new(null, null);

    public static PlannedWork Of(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return new PlannedWork(PlannedOperations(scenario), scenario.MaxTimeNs > 0 ? scenario.MaxTimeNs : null);
    }

    /// <summary>The share of the run done, 0 to 1, by whichever plan says more; null when nothing is planned.</summary>
    public double? Done(long operations, long simulatedNs)
    {
        double? byOperations = Operations is > 0 ? (double)operations / Operations.Value : null;
        // The planner's earliest event is long.MaxValue once nothing is pending: that run is over.
        double? byTime = SimulatedNs is > 0 ? (simulatedNs == long.MaxValue ? 1 : (double)simulatedNs / SimulatedNs.Value) : null;
        return byOperations is null && byTime is null
            ? null
            : Math.Clamp(Math.Max(byOperations ?? 0, byTime ?? 0), 0, 1);
    }

    /// <summary>Wall time left at the rate so far; null until some of the run is done, or when nothing is planned.</summary>
    public TimeSpan? Remaining(long operations, long simulatedNs, TimeSpan elapsed)
    {
        return Done(operations, simulatedNs) is { } done && done > 0
            ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - done) / done)
            : null;
    }

    private static long? PlannedOperations(Scenario scenario)
    {
        long total = 0;
        foreach (var cpu in scenario.Topology.AllCpus)
        {
            // An allocation is one operation and its free, when it has a lifetime, another.
            if (scenario.StreamOf(cpu) is { } stream)
            {
                total += WithFrees(stream.Operations, stream.Mix.Where(m => m.MeanLifetimeNs is not null).Sum(m => m.Weight), stream.TotalWeight);
            }
            if (scenario.Kernel.StreamOf(cpu) is { } kernel)
            {
                total += WithFrees(kernel.Operations, kernel.Mix.Where(m => m.MeanLifetimeNs is not null).Sum(m => m.Weight), kernel.TotalWeight);
            }
        }
        total += scenario.Kernel.Script.Count(s => s.Op != KernelOp.Context);
        foreach (var tasks in scenario.Tasks)
        {
            foreach (var cpu in tasks.Cpus)
            {
                if (TaskOperations(tasks, cpu, scenario.Topology.Arch.PageSize) is not { } each)
                {
                    return null;
                }
                total += each;
            }
        }
        return total;
    }

    private static long WithFrees(long operations, long weightWithLifetime, long totalWeight) =>
        operations + (totalWeight > 0 ? operations * weightWithLifetime / totalWeight : 0);

    /// <summary>One task's operations: its mm, then each access, mmap, munmap, mprotect and migration; null for a time-bound step.</summary>
    private static long? TaskOperations(TaskStream stream, int cpu, int pageSize)
    {
        if (!stream.HasSteps)
        {
            var accesses = stream.Accesses;
            return 1 + accesses
                + Every(accesses, stream.MunmapEvery)
                + Every(accesses, stream.MprotectEvery)
                + (stream.Cpus.Count > 1 ? Every(accesses - 1, stream.MigrateEvery) : 0);
        }
        long total = 1;
        foreach (var step in stream.Steps)
        {
            switch (step)
            {
                case TouchStep touch:
                    total += 1 + (touch.Bytes + pageSize - 1) / pageSize;
                    break;
                case ReadFileStep read:
                    total += (read.Bytes + TaskProgram.ReadChunkBytes - 1) / TaskProgram.ReadChunkBytes;
                    break;
                case MoveToStep move:
                    total += move.Cpu == cpu ? 0 : 1;
                    cpu = move.Cpu;
                    break;
                case MigrateToStep or MbindStep or MovePagesStep:
                    total++;
                    break;
                case AccessStep:
                    return null;
            }
        }
        return total;
    }

    private static long Every(long count, long every) => every > 0 && count > 0 ? count / every : 0;
}
