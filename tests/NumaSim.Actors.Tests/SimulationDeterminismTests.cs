using NumaSim.Actors.Coordination;
using NumaSim.Model.PageAlloc;
using NumaSim.Workloads.Scenarios;

namespace NumaSim.Actors.Tests;

public sealed class SimulationDeterminismTests
{
    private static Scenario Busy(long seed, long quantum = 0) => new(
        "busy", seed, TestMachines.TwoNodes(8192), LatencyModel.Default, quantum, 0,
        [
            new WorkloadStream([0, 1], 400, 100, MemPolicy.Default,
            [
                new AllocationKind(3, 0, Gfp.Kernel, 2_000),
                new AllocationKind(1, 2, Gfp.Kernel, null),
            ]),
            new WorkloadStream([2, 3], 400, 100, new MemPolicy(MemPolicyMode.Interleave, [0, 1]),
            [
                new AllocationKind(1, 0, Gfp.HighUserMovable, 1_000),
            ]),
        ]);

    private static string Fingerprint(SimulationResult r) =>
        string.Join('|', r.Machine.Zones.Select(z => $"{z.Node}:{z.FreePages}:{z.Numa}:{string.Join(',', Enumerable.Range(0, 11).Select(z.FreeBlocksAtOrder))}"))
        + $"|{r.Summary.Operations}|{r.Summary.SimulatedNs}|{string.Join(',', r.Summary.LatencyNs.Select(kv => $"{kv.Key}={kv.Value}"))}";

    [Fact]
    public async Task Same_scenario_and_seed_give_the_same_state_run_after_run()
    {
        var first = Fingerprint(await SimulationRunner.RunAsync(Busy(5)));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(first, Fingerprint(await SimulationRunner.RunAsync(Busy(5))));
        }
        Assert.NotEqual(first, Fingerprint(await SimulationRunner.RunAsync(Busy(6))));
    }

    [Fact]
    public async Task Every_operation_completes_and_pages_are_conserved()
    {
        var result = await SimulationRunner.RunAsync(Busy(5));
        Assert.True(result.Summary.Complete);
        Assert.Equal(1600, result.Summary.Allocations.Requested);
        Assert.Equal(result.Summary.Allocations.Served + result.Summary.Allocations.Failed + result.Summary.Allocations.Frees, result.Summary.Operations);
        foreach (var zone in result.Machine.Zones)
        {
            var onLists = zone.Pagesets.Sum(p => p.Count);
            Assert.True(zone.FreePages + onLists <= zone.Spec.Managed);
        }
    }

    [Fact]
    public async Task A_quantum_runs_global_windows_and_stays_deterministic()
    {
        var exact = await SimulationRunner.RunAsync(Busy(5));
        var wide = await SimulationRunner.RunAsync(Busy(5, quantum: 2_000));
        Assert.True(wide.Summary.Clock.Rounds < exact.Summary.Clock.Rounds);
        Assert.Equal(Fingerprint(wide), Fingerprint(await SimulationRunner.RunAsync(Busy(5, quantum: 2_000))));
    }
}
