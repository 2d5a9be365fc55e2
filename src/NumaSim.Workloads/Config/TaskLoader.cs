using NumaSim.Model.Topology;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Workloads.Config;

/// <summary>Reads `numasim.workload.tasks`: memory-touching tasks and their access patterns.</summary>
public static class TaskLoader
{
    public static IReadOnlyList<TaskStream> Load(ConfigNode tasks, MachineTopology topology)
    {
        if (!tasks.Exists)
        {
            return [];
        }
        var result = new List<TaskStream>();
        var pageShift = topology.Arch.PageShift;
        foreach (var t in tasks.Elements())
        {
            if (t.Keys.Contains("steps"))
            {
                result.Add(TaskStepLoader.Load(t, topology));
                continue;
            }
            t.OnlyKeys("cpus", "working-set", "pattern", "write-ratio", "accesses", "think-time", "policy",
                "migrate-every", "mprotect-every", "munmap-every", "chunk", "thp");
            var cpus = ScenarioLoader.LoadCpus(t.Child("cpus"), topology);
            var workingSet = t.Child("working-set").Bytes() >> pageShift;
            if (workingSet < 1 || workingSet > int.MaxValue)
            {
                throw t.Child("working-set").Error($"must be between one page and {int.MaxValue} pages");
            }
            var patternText = t.Child("pattern").String("sequential");
            if (!AccessPattern.TryParse(patternText, out var pattern))
            {
                throw t.Child("pattern").Error($"expected sequential, strided:PAGES, random, zipf:S (S > 0, not 1) or pointer-chase; found \"{patternText}\"");
            }
            var writeRatio = t.Child("write-ratio").Fraction(0);
            var chunk = t.Child("chunk").Exists ? t.Child("chunk").Bytes() >> pageShift : Math.Min(64, workingSet);
            if (chunk < 1 || chunk > workingSet)
            {
                throw t.Child("chunk").Error("must be between one page and the working set");
            }
            var thp = t.Child("thp").Bool(false);
            var hugePages = topology.Arch.Paging.HugePages;
            if (thp && topology.Arch.Paging.HugeOrder > topology.Arch.MaxOrder)
            {
                throw t.Child("thp").Error($"a huge page of {topology.Arch.PageSize << topology.Arch.Paging.HugeOrder >> 20} MiB is beyond the buddy allocator's largest block here");
            }
            if (thp && (t.Child("munmap-every").Long(0) > 0 || t.Child("mprotect-every").Long(0) > 0) && chunk % hugePages != 0)
            {
                throw t.Child("chunk").Error($"with thp on, mprotect and munmap act on whole huge pages: chunk must be a multiple of {(long)hugePages * topology.Arch.PageSize >> 20} MiB");
            }
            result.Add(new TaskStream(
                cpus,
                workingSet,
                pattern,
                writeRatio,
                NonNegative(t.Child("accesses")),
                t.Child("think-time").Nanoseconds(0),
                ScenarioLoader.LoadPolicy(t.Child("policy"), topology),
                NonNegative(t.Child("migrate-every"), 0),
                NonNegative(t.Child("mprotect-every"), 0),
                NonNegative(t.Child("munmap-every"), 0),
                chunk) { Thp = thp });
        }
        return result;
    }

    private static long NonNegative(ConfigNode node, long fallback = -1)
    {
        var value = fallback >= 0 ? node.Long(fallback) : node.Long();
        return value >= 0 ? value : throw node.Error("must be 0 or more");
    }
}
