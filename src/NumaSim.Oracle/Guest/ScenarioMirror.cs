using System.Globalization;
using NumaSim.Model.Kernel;
using NumaSim.Oracle.Qemu;
using NumaSim.Workloads.Kernel;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Oracle.Guest;

/// <summary>
/// A scenario as the guest runs it and as the simulator runs it beside the guest: the tasks written as steps,
/// one real process per CPU of each, and the sysctls. What cannot be driven from user space or is not modelled
/// on both sides is left out of both and named in <see cref="NotMirrored"/>.
/// </summary>
public sealed record ScenarioMirror(GuestPlan Plan, IReadOnlyList<string> NotMirrored)
{
    public static ScenarioMirror Of(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var inv = CultureInfo.InvariantCulture;
        var notes = new List<string>(scenario.NotModelled.Select(n => "the simulator does not model it: " + n));
        var tasks = new List<GuestTask>();
        var files = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var stream in scenario.Tasks)
        {
            if (!stream.HasSteps)
            {
                notes.Add($"the task on CPUs {Model.Topology.CpuList.Format(stream.Cpus)} has no steps (working-set, pattern, accesses): "
                    + "only tasks written as steps run as real processes; the simulator leaves it out too");
                continue;
            }
            var args = stream.Steps.Select(step => Argument(step, files)).ToList();
            tasks.AddRange(stream.Cpus.Select(cpu => new GuestTask(cpu, args)));
        }
        if (scenario.Tasks.Any(t => t.Steps.Any(s => s is ReadFileStep)))
        {
            notes.Add("read-file steps run in the guest: the kernel's counters include the page cache they fill (numa_hit, pgalloc, FilePages), "
                + "the simulator's do not");
        }
        if (scenario.Tasks.Any(t => t.Steps.Any(s => s is AccessStep)))
        {
            notes.Add("access steps run for wall-clock time in the guest (an emulated CPU) and for simulated time in the simulator: "
                + "how many passes each makes differs");
        }
        if (scenario.Streams.Count > 0 || scenario.Kernel.Active)
        {
            notes.Add("kernel allocation streams (numasim.workload.kernel, streams) cannot be driven from user space: skipped on both sides");
        }
        if (scenario.Faults.Count > 0)
        {
            notes.Add("zone faults (numasim.workload.faults) have no user-space equivalent: skipped on both sides");
        }
        var machine = GuestMachine.Of(scenario.Topology);
        if (!machine.Hmat && machine.Nodes.Any(n => n.Access is not null))
        {
            notes.Add("HMAT: only some nodes give access { ... }; the guest boots without HMAT");
        }
        var plan = new GuestPlan(machine, tasks, files, Sysctl(scenario.Sysctl));
        return new ScenarioMirror(plan, notes);

        string Argument(TaskStep step, IDictionary<string, long> sizes) => step switch
        {
            PolicyStep p => "policy=" + p.Text,
            ReadFileStep r => ReadArgument(r, sizes),
            TouchStep t => string.Create(inv, $"touch={t.Bytes}{(t.Thp ? ":thp" : "")}"),
            MoveToStep m => string.Create(inv, $"move-to={m.Cpu}"),
            AccessStep a => string.Create(inv, $"access={a.DurationNs}:{a.ThinkTimeNs}"),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "a step the guest program does not know"),
        };
    }

    /// <summary>The scenario as the simulator runs it beside the guest: the step tasks only, on the machine the guest booted.</summary>
    public static Scenario Simulated(Scenario scenario, Model.Topology.MachineTopology booted, bool withTasks)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return scenario with
        {
            Topology = booted,
            Streams = [],
            Kernel = KernelWorkload.None,
            Faults = [],
            Tasks = withTasks ? [.. scenario.Tasks.Where(t => t.HasSteps)] : [],
        };
    }

    /// <summary>The knobs the init writes before the tasks start, by their guest paths.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Sysctl(SysctlSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var inv = CultureInfo.InvariantCulture;
        return
        [
            new("/proc/sys/kernel/numa_balancing", s.NumaBalancing.ToString(inv)),
            new("/sys/kernel/mm/numa/demotion_enabled", s.DemotionEnabled ? "true" : "false"),
            new("/proc/sys/vm/zone_reclaim_mode", s.ZoneReclaimMode.ToString(inv)),
            new("/proc/sys/vm/swappiness", s.Swappiness.ToString(inv)),
        ];
    }

    private static string ReadArgument(ReadFileStep step, IDictionary<string, long> sizes)
    {
        if (step.File.Length == 0 || step.File.Contains('/', StringComparison.Ordinal) || step.File.Contains(' ', StringComparison.Ordinal)
            || step.File is "." or "..")
        {
            throw new FormatException($"read-file file = \"{step.File}\": a file name (no slash, no space)");
        }
        sizes[step.File] = Math.Max(sizes.TryGetValue(step.File, out var size) ? size : 0, step.Bytes);
        return string.Create(CultureInfo.InvariantCulture, $"read={GuestPlan.FileMount}/{step.File}:{step.Bytes}");
    }
}
