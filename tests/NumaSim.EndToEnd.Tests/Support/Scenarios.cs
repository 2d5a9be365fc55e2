namespace NumaSim.EndToEnd.Tests.Support;

/// <summary>Small scenario files written by the tests: each runs in well under a second.</summary>
public static class Scenarios
{
    /// <summary>2 nodes x 64 MiB (CPUs 0-1 and 2-3), SLIT 10/21, a few hundred operations per CPU.</summary>
    public static string TwoNode(string cpus = "0-3", int operations = 300) => $$"""
        numasim {
          seed = 7
          topology {
            name = "small-two-node"
            nodes = [
              { id = 0, cpus = "0-1", memory = 64M }
              { id = 1, cpus = "2-3", memory = 64M }
            ]
            distance = [[10, 21], [21, 10]]
          }
          workload {
            streams = [
              {
                cpus = "{{cpus}}"
                operations = {{operations}}
                think-time = 200ns
                policy = "local"
                mix = [
                  { weight = 50, order = 0, gfp = "GFP_KERNEL", lifetime = 20us }
                  { weight = 30, order = 1, gfp = "GFP_HIGHUSER_MOVABLE", lifetime = 50us }
                  { weight = 20, order = 2, gfp = "GFP_KERNEL|__GFP_RECLAIMABLE", lifetime = 100us }
                ]
              }
            ]
          }
        }

        """;

    /// <summary>Two nodes with explicit zones; each argument is one zone object per line.</summary>
    public static string WithZones(string node0Zone0, string node0Zone1, string node1Zone0) => $$"""
        numasim {
          topology {
            name = "explicit-zones"
            nodes = [
              {
                id = 0
                cpus = "0-1"
                zones = [
                  {{node0Zone0}}
                  {{node0Zone1}}
                ]
              }
              {
                id = 1
                cpus = "2-3"
                zones = [
                  {{node1Zone0}}
                ]
              }
            ]
            distance = [[10, 21], [21, 10]]
          }
          workload {
            streams = [
              { cpus = "0-3", operations = 100, think-time = 200ns, policy = "local", mix = [{ weight = 1, order = 0, gfp = "GFP_KERNEL", lifetime = 20us }] }
            ]
          }
        }

        """;

    /// <summary>
    /// Node 0's CPUs keep 2 x 1500 order-3 blocks (96 MiB) forever on a 64 MiB node 0: the later ones
    /// must fall back to node 1.
    /// </summary>
    public static string Node0Overflow => """
        numasim {
          seed = 3
          topology {
            name = "overflow"
            nodes = [
              { id = 0, cpus = "0-1", memory = 64M }
              { id = 1, cpus = "2-3", memory = 64M }
            ]
            distance = [[10, 21], [21, 10]]
          }
          workload {
            streams = [
              {
                cpus = "0-1"
                operations = 1500
                think-time = 200ns
                policy = "local"
                mix = [
                  { weight = 1, order = 3, gfp = "GFP_HIGHUSER_MOVABLE", lifetime = forever }
                ]
              }
            ]
          }
        }

        """;

    /// <summary>Replaces the one occurrence of <paramref name="from"/>; throws when it is not there exactly once.</summary>
    public static string Replace(string text, string from, string to)
    {
        var first = text.IndexOf(from, StringComparison.Ordinal);
        if (first < 0 || text.IndexOf(from, first + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"'{from}' does not occur exactly once in the scenario");
        }
        return string.Concat(text.AsSpan(0, first), to, text.AsSpan(first + from.Length));
    }

    /// <summary>The 1-based line of the only line containing <paramref name="marker"/>.</summary>
    public static int LineOf(string text, string marker)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var hits = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(marker, StringComparison.Ordinal)).ToArray();
        if (hits.Length != 1)
        {
            throw new InvalidOperationException($"'{marker}' is on {hits.Length} lines of the scenario, expected 1");
        }
        return hits[0] + 1;
    }
}
