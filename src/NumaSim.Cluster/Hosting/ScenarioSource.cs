using NumaSim.Actors.Messages;
using NumaSim.Workloads.Config;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Cluster.Hosting;

/// <summary>
/// What a member needs to build the very scenario the coordinator runs: the scenario and topology
/// files (path and text) and the seed override. A member on the same host reads the same file;
/// one on another host writes the text it was sent under the same file name.
/// </summary>
public sealed record ScenarioSource(string? ScenarioPath, string? ScenarioText, string? TopologyPath, string? TopologyText, long? Seed) : ISimMessage
{
    public static ScenarioSource Of(string? scenarioPath, string? topologyPath, long? seed)
    {
        var scenario = scenarioPath is null ? null : Path.GetFullPath(scenarioPath);
        var topology = topologyPath is null ? null : Path.GetFullPath(topologyPath);
        return new(scenario, scenario is null ? null : File.ReadAllText(scenario), topology, topology is null ? null : File.ReadAllText(topology), seed);
    }

    public Scenario Load()
    {
        string? scratch = null;
        try
        {
            var scenario = Local(ScenarioPath, ScenarioText, ref scratch);
            var topology = Local(TopologyPath, TopologyText, ref scratch);
            return ScenarioLoader.Load(scenario, topology, null, Seed);
        }
        finally
        {
            if (scratch is not null)
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    private static string? Local(string? path, string? text, ref string? scratch)
    {
        if (path is null || text is null)
        {
            return path;
        }
        if (File.Exists(path) && File.ReadAllText(path) == text)
        {
            return path;
        }
        scratch ??= Directory.CreateTempSubdirectory("numasim-member-").FullName;
        var copy = Path.Combine(scratch, Path.GetFileName(path));
        File.WriteAllText(copy, text);
        return copy;
    }
}
