using BenchmarkDotNet.Attributes;
using NumaSim.Model.PageAlloc;
using NumaSim.Workloads.Config;

namespace NumaSim.Benchmarks;

/// <summary>Order-0 allocations and frees through a CPU's per-CPU list (the fast path, refills and drains included).</summary>
[MemoryDiagnoser]
public class PcpBenchmarks
{
    private const int Batch = 32;
    private readonly (long Pfn, int Zone)[] _pages = new (long, int)[Batch];
    private readonly AllocationRequest _request = new(0, Gfp.Kernel, MemPolicy.Default);
    private PageAllocatorMachine _machine = null!;

    [GlobalSetup]
    public void Setup() => _machine = new PageAllocatorMachine(ScenarioLoader.LoadTopologyFile(ShippedConfig.Topology("two-socket")));

    [Benchmark(OperationsPerInvoke = 2 * Batch)]
    public void AllocateThenFree()
    {
        for (var i = 0; i < Batch; i++)
        {
            _pages[i] = _machine.Allocate(0, _request);
        }
        for (var i = 0; i < Batch; i++)
        {
            _machine.Free(0, _pages[i].Zone, _pages[i].Pfn, 0, MigrateType.Unmovable);
        }
    }
}
