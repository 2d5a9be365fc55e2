using BenchmarkDotNet.Attributes;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;
using NumaSim.Workloads.Config;

namespace NumaSim.Benchmarks;

/// <summary>Booting the free lists of the 1 TiB eight-node machine (268 M pages).</summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3)]
[MemoryDiagnoser]
public class BootBenchmarks
{
    private MachineTopology _topology = null!;

    [GlobalSetup]
    public void Setup() => _topology = ScenarioLoader.LoadTopologyFile(ShippedConfig.Topology("eight-node-1tib"));

    [Benchmark]
    public long BootTerabyte() => new PageAllocatorMachine(_topology).Zones.Sum(z => z.Buddy.FreePages);
}
