namespace NumaSim.Telemetry.Tests.Support;

/// <summary>
/// A two-tier machine for the tiering tests: DRAM node 0 with CPU 0, and memory-only node 1 that HMAT rates slower,
/// so it is node 0's lower memory tier (its demotion target), at SLIT distance 24.
/// </summary>
internal static class TieredMachine
{
    public static string Topology(string dram, string memoryOnly) => $$"""
        topology {
          nodes = [
            { id = 0, cpus = "0", memory = {{dram}}, access { read-latency = 80, write-latency = 80, read-bandwidth = 102400, write-bandwidth = 102400 } }
            { id = 1, cpus = "", memory = {{memoryOnly}}, access { read-latency = 200, write-latency = 200, read-bandwidth = 40960, write-bandwidth = 40960 } }
          ]
          distance = [[10, 24], [24, 10]]
        }
        """;
}
