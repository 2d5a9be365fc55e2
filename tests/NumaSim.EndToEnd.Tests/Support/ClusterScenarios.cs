namespace NumaSim.EndToEnd.Tests.Support;

/// <summary>Scenarios on config/topologies/four-node.conf that send every kind of message between nodes.</summary>
public static class ClusterScenarios
{
    /// <summary>
    /// Interleaved page allocations on every CPU (remote zones, frees back to them), tasks with
    /// faults and munmaps, kmalloc and vmalloc whose vfree sends TLB-flush IPIs to every CPU.
    /// <paramref name="scale"/> multiplies the work (1: a few hundred rounds).
    /// </summary>
    public static string FourNode(int scale = 1, string cluster = "") => $$"""
        numasim {
          seed = 5
          topology = "four-node"
          {{cluster}}
          workload {
            streams = [
              {
                cpus = "0-15"
                operations = {{50 * scale}}
                think-time = 500ns
                policy = "interleave:0-3"
                mix = [
                  { weight = 50, order = 0, gfp = "GFP_KERNEL", lifetime = 20us }
                  { weight = 30, order = 2, gfp = "GFP_HIGHUSER_MOVABLE", lifetime = 50us }
                  { weight = 20, order = 1, gfp = "GFP_KERNEL", lifetime = forever }
                ]
              }
            ]
            tasks = [
              { cpus = "1,6,11,12", working-set = 2M, pattern = "random", write-ratio = 0.3, accesses = {{300 * scale}}, munmap-every = 100, chunk = 256K, policy = "interleave:0-3" }
            ]
            kernel = [
              {
                cpus = "2,7,9,14"
                operations = {{50 * scale}}
                think-time = 200ns
                mix = [
                  { weight = 10, op = kmalloc, size = "8-2048", gfp = "GFP_KERNEL", lifetime = 4us }
                  { weight = 1, op = vmalloc, size = "16K-64K", gfp = "GFP_KERNEL", lifetime = 10us }
                ]
              }
            ]
          }
        }

        """;
}
