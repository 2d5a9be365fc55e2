using System.Globalization;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Cli;

/// <summary>The scenario's settings as report.html lists them: the machine, the latency model, the clock and the workload.</summary>
public static class ReportSettings
{
    public static IReadOnlyList<(string Key, string Value)> Of(Scenario scenario, string? scenarioFile, string? topologyArgument)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var t = scenario.Topology;
        var settings = new List<(string, string)>
        {
            // Names, not paths: the report is the same wherever the run was started from.
            ("scenario", scenarioFile is null ? "default (shipped)" : Path.GetFileName(scenarioFile)),
            ("numasim.seed", I(scenario.Seed)),
            ("numasim.topology", $"{t.Name}{(topologyArgument is null ? "" : " (from --topology)")}: {t.Arch.Name}, {t.Nodes.Count} nodes, {t.CpuCount} CPUs, {I(t.ManagedPages)} managed pages"),
        };
        foreach (var node in t.Nodes)
        {
            settings.Add(($"node{I(node.Id)}", $"CPUs {string.Join(',', node.Cpus.Select(c => I(c)))}; "
                + string.Join("; ", node.Zones.Where(z => z.Present > 0).Select(z => $"{z.Type} {I(z.Managed)} managed pages"))
                + $"; distances {string.Join(' ', t.Nodes.Select(other => I(t.DistanceBetween(node.Id, other.Id))))}"));
        }
        settings.Add(("numasim.topology.vm", Fields(t.Vm)));
        settings.Add(("numasim.latency", Fields(scenario.Latency)));
        settings.Add(("numasim.tlb", Fields(scenario.Tlb)));
        settings.Add(("numasim.sim", $"quantum {I(scenario.QuantumNs)} ns ({(scenario.QuantumNs == 0 ? "exact" : "windows")}), max-time {(scenario.MaxTimeNs == 0 ? "none" : I(scenario.MaxTimeNs) + " ns")}"));
        settings.Add(("numasim.workload", $"{scenario.Streams.Count} allocation streams, {scenario.Tasks.Count} task streams, {scenario.Kernel.Streams.Count} kernel streams, "
            + $"{scenario.Kernel.Script.Count} script steps, {scenario.Faults.Count} zone faults"));
        settings.Add(("numasim.slab", $"{scenario.Kernel.Allocator}, {scenario.Kernel.Caches.Count} caches, slub_debug {scenario.Kernel.SlubDebug ?? "off"}"));
        return settings;
    }

    /// <summary>A record's members as "A = 1, B = 2", from its generated ToString.</summary>
    private static string Fields(object record)
    {
        var text = record.ToString() ?? "";
        var open = text.IndexOf('{', StringComparison.Ordinal);
        return open < 0 ? text : text[(open + 1)..].TrimEnd('}').Trim();
    }

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);
}
