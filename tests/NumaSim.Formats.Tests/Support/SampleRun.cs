using NumaSim.Model.Snapshots;
using NumaSim.Results;

namespace NumaSim.Formats.Tests.Support;

/// <summary>A RunSummary with every field set, for the summary.json and output-tree tests.</summary>
internal static class SampleRun
{
    public static RunSummary Summary(string? incompleteReason = null) => new(
        Scenario: "first-touch",
        Seed: 42,
        Operations: 1500,
        SimulatedNs: 123456789,
        WallSeconds: 0.5,
        BootSeconds: 0.0123456789,
        Members: [new MemberInfo(4321, "akka.tcp://numasim@127.0.0.1:4053", [0, 1])],
        Tlb: new TlbCounts(900, 100),
        LatencyNs: new Dictionary<string, LatencyStats>
        {
            ["page_fault"] = new(10, 800, 1200, 1500),
            ["alloc_fast"] = new(20, 50, 90, 100),
        },
        Errors: [new SimError("double_free", "Object already free \"kmalloc-64\"", 1, 5000)],
        Clock: new SimulationClockInfo(1000, 1000, 77),
        Allocations: new AllocationTotals(100, 98, 2, 50, 3),
        IncompleteReason: incompleteReason);
}
