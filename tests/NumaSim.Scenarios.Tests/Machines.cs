namespace NumaSim.Scenarios.Tests;

/// <summary>The small machines the examples run on, so that every number in them can be worked out by hand.</summary>
internal static class Machines
{
    /// <summary>Two nodes of 8 GiB, one CPU each, distance 20 between them.</summary>
    public static NumaScenario TwoNodes() => NumaScenario.OnTopology("""
        nodes = [
          { id = 0, cpus = "0", memory = 8G }
          { id = 1, cpus = "1", memory = 8G }
        ]
        distance = [[10, 20], [20, 10]]
        """).WithSeed(5);

    /// <summary>Two nodes of 1 GiB with two CPUs each, distance 20: CPUs 0-1 on node 0, 2-3 on node 1.</summary>
    public static NumaScenario TwoNodesFourCpus() => NumaScenario.OnTopology("""
        nodes = [
          { id = 0, cpus = "0-1", memory = 1G }
          { id = 1, cpus = "2-3", memory = 1G }
        ]
        distance = [[10, 20], [20, 10]]
        """).WithSeed(1);
}
