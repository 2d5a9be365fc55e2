using NumaSim.Model.Topology;

namespace NumaSim.Replay;

/// <summary>
/// Where a traced CPU's events run: trace CPU n runs on the (n % count)-th CPU of the simulated machine,
/// CPUs in id order. A trace of an 8-CPU machine replayed on 16 simulated CPUs keeps its CPUs; replayed
/// on 2, CPUs 0, 2, 4, 6 share the first simulated CPU. The slab model indexes CPUs densely (0 .. count-1),
/// the page allocator by CPU id; both come from here.
/// </summary>
public sealed class TraceCpuMap
{
    private readonly int[] _cpuIds;
    private readonly int[] _nodes;

    public TraceCpuMap(MachineTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        _cpuIds = [.. topology.AllCpus];
        if (_cpuIds.Length == 0)
        {
            throw new ArgumentException("The topology has no CPU to replay on.", nameof(topology));
        }
        _nodes = [.. _cpuIds.Select(topology.NodeOfCpu)];
    }

    /// <summary>Simulated CPUs.</summary>
    public int Count => _cpuIds.Length;

    /// <summary>The rule, as summary.json states it.</summary>
    public string Rule => $"trace_cpu % {Count}";

    /// <summary>The dense index (0 .. Count-1) of the simulated CPU a trace CPU maps onto.</summary>
    public int Index(int traceCpu) => (int)((uint)traceCpu % (uint)_cpuIds.Length);

    /// <summary>The simulated CPU id of a dense index.</summary>
    public int CpuId(int index) => _cpuIds[index];

    /// <summary>The node of a dense index.</summary>
    public int Node(int index) => _nodes[index];

    /// <summary>The node of each dense index, as the slab model takes it.</summary>
    public IReadOnlyList<int> Nodes => _nodes;
}
