using BenchmarkDotNet.Attributes;
using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;

namespace NumaSim.Benchmarks;

/// <summary>Buddy allocator alloc + free of one block, in a 4 GiB zone kept half full.</summary>
[MemoryDiagnoser]
public class BuddyBenchmarks
{
    private const int Batch = 256;
    private readonly long[] _pfns = new long[Batch];
    private BuddyZone _zone = null!;

    [Params(0, 3, 9)]
    public int Order { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _zone = new BuddyZone(new ZoneSpec(ZoneType.Normal, 1 << 20, 1 << 20, 1 << 20, 1 << 20), Architecture.X86_64);
        // Fragment it: hold every other block of this order for the whole run.
        for (var i = 0; i < (1 << 18) >> Order; i++)
        {
            var a = _zone.Allocate(Order, MigrateType.Movable);
            var b = _zone.Allocate(Order, MigrateType.Movable);
            if (i % 2 == 0)
            {
                _zone.Free(b, Order);
            }
            _ = a;
        }
    }

    [Benchmark(OperationsPerInvoke = 2 * Batch)]
    public void AllocateThenFree()
    {
        for (var i = 0; i < Batch; i++)
        {
            _pfns[i] = _zone.Allocate(Order, MigrateType.Movable);
        }
        for (var i = 0; i < Batch; i++)
        {
            _zone.Free(_pfns[i], Order);
        }
    }
}
