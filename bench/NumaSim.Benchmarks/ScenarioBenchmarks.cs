using BenchmarkDotNet.Attributes;
using NumaSim.Actors.Coordination;
using NumaSim.Workloads.Config;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Benchmarks;

/// <summary>The default scenario end to end on the actors (147 K operations a run).</summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ScenarioBenchmarks
{
    private Scenario _scenario = null!;

    [GlobalSetup]
    public void Setup() => _scenario = ScenarioLoader.Load(null);

    [Benchmark]
    public long DefaultScenario() => SimulationRunner.RunAsync(_scenario).GetAwaiter().GetResult().Summary.Operations;
}
