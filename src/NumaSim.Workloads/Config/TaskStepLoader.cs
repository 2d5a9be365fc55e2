using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Workloads.Config;

/// <summary>
/// A task written as `{ cpus, steps = [...] }`: each step an object with one verb (policy, read-file, touch,
/// move-to, migrate-to, mbind, move-pages, access) and that verb's own options.
/// </summary>
internal static class TaskStepLoader
{
    private static readonly string[] Verbs = ["policy", "read-file", "touch", "move-to", "migrate-to", "mbind", "move-pages", "access"];

    public static TaskStream Load(ConfigNode task, MachineTopology topology)
    {
        task.OnlyKeys("cpus", "steps");
        var cpus = ScenarioLoader.LoadCpus(task.Child("cpus"), topology);
        var list = task.Child("steps");
        // Akka's HOCON reads an empty list as neither a list nor empty: ask for the steps themselves.
        var elements = list.Exists && list.Value!.IsArray() ? list.Elements() : [];
        if (elements.Count == 0)
        {
            throw list.Error("a task needs at least one step: steps = [ { touch = 64M }, ... ]");
        }
        var steps = elements.Select(e => LoadStep(e, topology)).ToList();
        var touched = steps.OfType<TouchStep>().Sum(t => t.Bytes >> topology.Arch.PageShift);
        if (touched > int.MaxValue)
        {
            throw task.Child("steps").Error($"a task may touch at most {int.MaxValue} pages");
        }
        return new TaskStream(cpus, touched, new AccessPattern(AccessPatternKind.Sequential, 0), 1.0, 0, 0, MemPolicy.Default, 0, 0, 0, 1) { Steps = steps };
    }

    private static TaskStep LoadStep(ConfigNode step, MachineTopology topology)
    {
        if (!step.IsObject)
        {
            throw step.Error("a step is an object such as { touch = 1G }");
        }
        var verbs = Verbs.Where(v => step.Child(v).Exists).ToList();
        if (verbs.Count != 1)
        {
            throw step.Error(verbs.Count == 0
                ? $"a step needs one of {string.Join(", ", Verbs)}"
                : $"a step does one thing; found {string.Join(" and ", verbs)}");
        }
        switch (verbs[0])
        {
            case "policy":
                step.OnlyKeys("policy");
                var text = step.Child("policy").String();
                return new PolicyStep(ScenarioLoader.LoadPolicy(step.Child("policy"), topology), text);
            case "read-file":
                step.OnlyKeys("read-file", "file");
                var name = step.Child("file").String("file");
                if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || name.StartsWith('.'))
                {
                    throw step.Child("file").Error($"a file name is letters, digits, '-', '_' and '.', found \"{name}\"");
                }
                return new ReadFileStep(name, Pages(step.Child("read-file"), topology) << topology.Arch.PageShift);
            case "touch":
                step.OnlyKeys("touch", "thp");
                var thp = step.Child("thp").Bool(false);
                if (thp && topology.Arch.Paging.HugeOrder > topology.Arch.MaxOrder)
                {
                    throw step.Child("thp").Error($"a huge page of {topology.Arch.PageSize << topology.Arch.Paging.HugeOrder >> 20} MiB is beyond the buddy allocator's largest block here");
                }
                return new TouchStep(Pages(step.Child("touch"), topology) << topology.Arch.PageShift, thp);
            case "move-to":
                step.OnlyKeys("move-to");
                var target = ScenarioLoader.LoadCpus(step.Child("move-to"), topology);
                return target.Count == 1 ? new MoveToStep(target[0]) : throw step.Child("move-to").Error($"moves to one CPU; \"{step.Child("move-to").String()}\" selects {target.Count}");
            case "migrate-to":
                step.OnlyKeys("migrate-to");
                var nodes = step.Child("migrate-to").String();
                var to = NodeSelector.Nodes(nodes, topology, out var problem);
                return problem is null ? new MigrateToStep(to, nodes) : throw step.Child("migrate-to").Error(problem);
            case "mbind":
                step.OnlyKeys("mbind", "move");
                return new MbindStep(ScenarioLoader.LoadPolicy(step.Child("mbind"), topology), step.Child("move").Bool(false), step.Child("mbind").String());
            case "move-pages":
                step.OnlyKeys("move-pages");
                var targets = step.Child("move-pages").String();
                var pageNodes = NodeSelector.Nodes(targets, topology, out var wrong);
                return wrong is null ? new MovePagesStep([.. pageNodes.Distinct().Order()], targets) : throw step.Child("move-pages").Error(wrong);
            default:
                step.OnlyKeys("access", "think-time");
                var duration = step.Child("access").Nanoseconds();
                if (duration <= 0)
                {
                    throw step.Child("access").Error("must be a duration greater than 0");
                }
                var think = step.Child("think-time").Nanoseconds(0);
                if (think < 0)
                {
                    throw step.Child("think-time").Error("must be 0 or more");
                }
                return new AccessStep(duration, think);
        }
    }

    /// <summary>A size, rounded up to whole pages: at least one page.</summary>
    private static long Pages(ConfigNode size, MachineTopology topology)
    {
        var bytes = size.Bytes();
        if (bytes <= 0)
        {
            throw size.Error("must be at least one byte");
        }
        // Rounded up without the wrap of bytes + PAGE_SIZE - 1; a task touches at most int.MaxValue pages.
        var pages = (bytes >> topology.Arch.PageShift) + ((bytes & (topology.Arch.PageSize - 1)) != 0 ? 1 : 0);
        return pages <= int.MaxValue ? pages : throw size.Error($"must be at most {int.MaxValue} pages");
    }
}
