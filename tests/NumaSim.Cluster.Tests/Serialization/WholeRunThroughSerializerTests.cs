using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Configuration;
using NumaSim.Actors.Coordination;
using NumaSim.Cluster.Serialization;
using NumaSim.Formats.Json;
using NumaSim.Workloads.Config;

namespace NumaSim.Cluster.Tests.Serialization;

/// <summary>
/// With akka.actor.serialize-messages on, every message of a whole run goes through the cluster
/// serializer and back, as it would between processes: the run must give the very same result.
/// This covers every message type the simulation actually sends, model snapshots included.
/// </summary>
public sealed class WholeRunThroughSerializerTests
{
    [Theory]
    [InlineData("default.conf")]
    [InlineData("kmalloc-storm.conf")]
    [InlineData("first-touch.conf")]
    public async Task A_run_with_every_message_serialized_gives_the_same_result(string scenarioFile)
    {
        var scenario = ScenarioLoader.Load(Path.Combine(ShippedConfig.Directory, "scenarios", scenarioFile));
        var plain = await SimulationRunner.RunAsync(scenario);

        var config = ConfigurationFactory.ParseString("akka.actor.serialize-messages = on")
            .WithFallback(SerializationConfig.Hocon)
            .WithFallback(SimulationRunner.ActorSystemConfig);
        using var system = ActorSystem.Create("serialized", config);
        var serialized = await SimulationRunner.RunOnAsync(system, scenario, null, null);
        await system.Terminate();

        Assert.True(plain.Summary.Complete, plain.Summary.IncompleteReason);
        Assert.Equal(Reproducible(SummaryJson.Render(plain.Summary, plain.Machine)), Reproducible(SummaryJson.Render(serialized.Summary, serialized.Machine)));
        Assert.Equal(
            plain.Machine.Zones.Select(z => (z.Node, z.FreePages)),
            serialized.Machine.Zones.Select(z => (z.Node, z.FreePages)));
    }

    private static string Reproducible(string summaryJson)
    {
        var root = JsonNode.Parse(summaryJson)!.AsObject();
        foreach (var key in root.Select(kv => kv.Key).Where(k => k.EndsWith("_seconds", StringComparison.Ordinal) || k.EndsWith("_per_second", StringComparison.Ordinal) || k == "members").ToList())
        {
            root.Remove(key);
        }
        return root.ToJsonString();
    }
}
