using NumaSim.Workloads.Scenarios;
using NumaSim.Workloads.Config;

namespace NumaSim.Telemetry.Tests.Support;

/// <summary>Small scenarios with every kind of cross-node operation, loaded as a user's file would be.</summary>
public static class TestScenarios
{
    /// <summary>
    /// CPU 0 on node 0, CPU 1 on node 1 (distance 21): a task that migrates between them and
    /// munmaps (shootdown IPIs to the other node), an interleaved task (remote pages and faults),
    /// and an interleaved allocation stream on CPU 1 (per-CPU lists refilled from node 0's zone).
    /// </summary>
    public const string CrossNodeText = """
        numasim {
          seed = 11
          topology {
            nodes = [
              { id = 0, cpus = "0", memory = 256M }
              { id = 1, cpus = "1", memory = 256M }
            ]
            distance = [[10, 21], [21, 10]]
          }
          workload {
            streams = [
              {
                cpus = "1"
                operations = 2000
                think-time = 300ns
                policy = "interleave:0-1"
                mix = [ { weight = 1, order = 0, gfp = "GFP_KERNEL", lifetime = 30us } ]
              }
            ]
            tasks = [
              { cpus = "0-1", working-set = 1M, pattern = "zipf:0.9", write-ratio = 0.3, accesses = 3000, migrate-every = 500, munmap-every = 700 }
              { cpus = "0", working-set = 512K, pattern = "random", write-ratio = 0.5, accesses = 2000, policy = "interleave:0-1" }
            ]
          }
        }
        """;

    public static Scenario CrossNode(long? seed = null) => Load(CrossNodeText, seed);

    /// <summary>
    /// The kernel's cross-node operations on the same two nodes: CPU 0 kmallocs on node 1
    /// (kmalloc_node: slab pages from node 1's zone), and vmallocs whose vfree flushes every CPU's TLB.
    /// </summary>
    public static Scenario KernelCrossNode() => Load("""
        numasim {
          seed = 5
          topology {
            nodes = [
              { id = 0, cpus = "0", memory = 256M }
              { id = 1, cpus = "1", memory = 256M }
            ]
            distance = [[10, 21], [21, 10]]
          }
          workload.kernel = [
            {
              cpus = "0"
              operations = 400
              think-time = 200ns
              node = 1
              mix = [
                { weight = 4, op = kmalloc, size = "512-2048", gfp = "GFP_KERNEL", lifetime = 20us }
                { weight = 1, op = vmalloc, size = "16K-32K", gfp = "GFP_KERNEL", lifetime = 5us }
              ]
            }
          ]
        }
        """);

    public static Scenario Load(string text, long? seed = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"numasim-telemetry-{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, text);
        try
        {
            return ScenarioLoader.Load(path, seedOverride: seed);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
