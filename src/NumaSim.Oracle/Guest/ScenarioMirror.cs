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
        foreach (var original in scenario.Tasks)
        {
            var stream = AsSteps(original, scenario.Topology.Arch.PageShift);
            if (stream is null)
            {
                notes.Add($"the task on CPUs {Model.Topology.CpuList.Format(original.Cpus)} has no steps (working-set, pattern, accesses) and is not a "
                    + "first touch of its working set (sequential, every access a write, no mprotect, munmap or migration): only tasks written as "
                    + "steps run as real processes, and its mix of reads and writes (a read of an untouched page maps the zero page, a later write "
                    + "copies it) has no step to mirror it; the simulator leaves it out too");
                continue;
            }
            if (!original.HasSteps)
            {
                notes.Add($"the working-set task on CPUs {Model.Topology.CpuList.Format(original.Cpus)} runs on both sides as what it allocates: its "
                    + "first pass, a touch of its working set (later passes only re-read what is mapped)");
            }
            var args = stream.Steps.Select(step => Argument(step, files)).ToList();
            tasks.AddRange(stream.Cpus.Select(cpu => new GuestTask(cpu, args)));
        }
        if (scenario.Tasks.Any(t => t.Steps.Any(s => s is AccessStep)))
        {
            notes.Add("access steps run for wall-clock time in the guest (an emulated CPU) and for simulated time in the simulator: "
                + "how many passes each makes differs");
        }
        if (scenario.Sysctl.NumaBalancingScan != Model.Sched.NumaBalancingSysctls.Default)
        {
            notes.Add("numasim.sysctl.numa-balancing-scan: the guest's scan keeps the kernel's defaults (its knobs are in debugfs, "
                + "which the guest does not mount); the simulator scans as configured");
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
        var plan = new GuestPlan(machine, tasks, files, Sysctl(scenario.Sysctl)) { SwapBytes = scenario.Topology.SwapBytes };
        return new ScenarioMirror(plan, notes);

        string Argument(TaskStep step, IDictionary<string, long> sizes) => step switch
        {
            // As the policy resolved (node forms such as interleave:all become numbers), not as written.
            PolicyStep p => "policy=" + PolicyText(p.Policy),
            ReadFileStep r => ReadArgument(r, sizes),
            TouchStep t => string.Create(inv, $"touch={t.Bytes}{(t.Thp ? ":thp" : "")}"),
            MoveToStep m => string.Create(inv, $"move-to={m.Cpu}"),
            // migrate_pages(2)'s old nodes are every node of the machine, as the simulator's step takes them.
            MigrateToStep g => $"migrate-pages={Model.Topology.CpuList.Format(Enumerable.Range(0, scenario.Topology.Nodes.Count))}:{Model.Topology.CpuList.Format(g.Nodes)}",
            AccessStep a => string.Create(inv, $"access={a.DurationNs}:{a.ThinkTimeNs}"),
            MbindStep b => (b.Move ? "mbind-move=" : "mbind=") + PolicyText(b.Policy),
            MovePagesStep v => "move-pages=" + Model.Topology.CpuList.Format(v.Nodes),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "a step the guest program does not know"),
        };
    }

    /// <summary>
    /// The scenario as the simulator runs it beside the guest: the step tasks only, on the machine the guest booted,
    /// with the scenario's swap area (the guest's swapon gave it the same one).
    /// </summary>
    public static Scenario Simulated(Scenario scenario, Model.Topology.MachineTopology booted, bool withTasks)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(booted);
        return scenario with
        {
            Topology = new Model.Topology.MachineTopology(booted.Name, booted.Arch, booted.Nodes, booted.Distance, booted.Vm)
            {
                SwapBytes = scenario.Topology.SwapBytes,
            },
            Streams = [],
            Kernel = KernelWorkload.None,
            Faults = [],
            Tasks = withTasks ? [.. scenario.Tasks.Select(t => AsSteps(t, scenario.Topology.Arch.PageShift)).OfType<TaskStream>()] : [],
        };
    }

    /// <summary>
    /// A task as steps: a task written as steps is itself; a working-set task that first-touches its working set
    /// (sequential, every access a write, at least one pass, nothing periodic) allocates exactly what
    /// `policy` and `touch` of that size allocate. Any other working-set task has no such equivalent: null.
    /// </summary>
    public static TaskStream? AsSteps(TaskStream task, int pageShift)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (task.HasSteps)
        {
            return task;
        }
        var firstTouch = task.Pattern.Kind == AccessPatternKind.Sequential && task.WriteRatio >= 1 && task.Accesses >= task.WorkingSetPages
            && task.MigrateEvery == 0 && task.MprotectEvery == 0 && task.MunmapEvery == 0;
        if (!firstTouch)
        {
            return null;
        }
        var touch = new TouchStep(task.WorkingSetPages << pageShift, task.Thp);
        TaskStep[] steps = task.Policy.Mode == Model.PageAlloc.MemPolicyMode.Default
            ? [touch]
            : [new PolicyStep(task.Policy, PolicyText(task.Policy)), touch];
        return task with { Steps = steps };
    }

    /// <summary>A policy as set_mempolicy's argument is written: bind:0,2, interleave:0-1 or preferred-many:0-1.</summary>
    private static string PolicyText(Model.PageAlloc.MemPolicy policy) => policy.Mode switch
    {
        Model.PageAlloc.MemPolicyMode.Default => "default",
        Model.PageAlloc.MemPolicyMode.Local => "local",
        _ => $"{Model.PageAlloc.MemPolicy.ModeName(policy.Mode)}:{Model.Topology.CpuList.Format(policy.Nodes)}",
    };

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
            new("/proc/sys/vm/watermark_boost_factor", s.WatermarkBoostFactor.ToString(inv)),
            // Only the promotion knobs the scenario sets, as the weights below; the hot threshold is in debugfs,
            // which the init mounts for it.
            .. s.NumaPromotion.RateLimitMBps == Model.Sched.NumaPromotionSysctls.Default.RateLimitMBps
                ? Array.Empty<KeyValuePair<string, string>>()
                : [new("/proc/sys/kernel/numa_balancing_promote_rate_limit_MBps", s.NumaPromotion.RateLimitMBps.ToString(inv))],
            .. s.NumaPromotion.HotThresholdMs == Model.Sched.NumaPromotionSysctls.Default.HotThresholdMs
                ? Array.Empty<KeyValuePair<string, string>>()
                : [new("/sys/kernel/debug/sched/numa_balancing/hot_threshold_ms", s.NumaPromotion.HotThresholdMs.ToString(inv))],
            // Only the weights the scenario sets: a node left out keeps the kernel's default, as in the simulator.
            .. s.InterleaveWeights.Select((weight, node) => (weight, node)).Where(w => w.weight > 0).Select(w =>
                new KeyValuePair<string, string>($"/sys/kernel/mm/mempolicy/weighted_interleave/node{w.node.ToString(inv)}", w.weight.ToString(inv))),
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
