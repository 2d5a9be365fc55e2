using NumaSim.Model.PageAlloc;
using NumaSim.Model.Topology;

namespace NumaSim.Model.Mmu;

/// <summary>
/// What one memory access (data, or one page-table level) from a CPU costs, by the node that holds the memory.
/// A node without HMAT figures costs numasim.latency.dram-local scaled by distance / 10, as always. A node with
/// them costs its own read or write latency, as its nearest CPUs see it (scaled by the distance ratio for
/// farther CPUs, as a firmware's HMAT rates them), raised by the node's load on the
/// <see cref="LoadedLatency"/> curve. The load is what this CPU moved to the node in the previous window of
/// <see cref="WindowNs"/> of simulated time (a cache line of <see cref="LineBytes"/> per access) against its
/// share of the node's bandwidth: the node's figure divided by the machine's CPUs. A CPU sees no other CPU's
/// accesses (each prices its own, which keeps runs identical on any number of processes), so the curve meets the
/// node's whole load when every CPU streams alike; one CPU streaming alone is priced as if all did.
/// </summary>
public sealed class AccessLatency
{
    /// <summary>The window over which a CPU's demand on a node is measured.</summary>
    public const long WindowNs = 10_000;

    /// <summary>Bytes one access moves: a cache line.</summary>
    public const long LineBytes = 64;

    private readonly int _node;
    private readonly MachineTopology _topology;
    private readonly LatencyModel _latency;
    private readonly NodeLoad?[] _load;

    public AccessLatency(int cpu, MachineTopology topology, LatencyModel latency)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(latency);
        _node = topology.NodeOfCpu(cpu);
        _topology = topology;
        _latency = latency;
        _load = [.. topology.Nodes.Select(n => n.Access is { } a ? new NodeLoad(a, Math.Max(1, topology.CpuCount), InitiatorDistance(topology, n.Id)) : null)];
    }

    /// <summary>One access to memory on <paramref name="node"/> at simulated time <paramref name="now"/>.</summary>
    public long Price(int node, bool write, long now)
    {
        var distance = _topology.DistanceBetween(_node, node);
        return _load[node] is { } load ? load.Price(distance, write, now) : _latency.Dram(distance);
    }

    /// <summary>The distance from a node's nearest CPUs to it (its own when it has CPUs), which its HMAT figures are for.</summary>
    private static int InitiatorDistance(MachineTopology topology, int node) =>
        topology.Nodes.Where(n => n.Cpus.Count > 0).Select(n => topology.DistanceBetween(n.Id, node)).DefaultIfEmpty(MachineTopology.LocalDistance).Min();

    /// <summary>One node's figures and this CPU's bytes to it, per window.</summary>
    private sealed class NodeLoad(NodeAccess access, int cpus, int initiatorDistance)
    {
        // This CPU's share of the node's bandwidth per window: MB/s is bytes per microsecond.
        private readonly long _readShare = Math.Max(1, access.ReadBandwidthMBps * WindowNs / 1000 / cpus);
        private readonly long _writeShare = Math.Max(1, access.WriteBandwidthMBps * WindowNs / 1000 / cpus);
        private long _window = -1;
        private long _read, _written, _utilisation;

        public long Price(int distance, bool write, long now)
        {
            var window = now / WindowNs;
            if (window != _window)
            {
                // The previous window's demand prices this one; after an idle window the node is idle.
                _utilisation = window == _window + 1
                    ? (_read * LoadedLatency.Full / _readShare) + (_written * LoadedLatency.Full / _writeShare)
                    : 0;
                (_window, _read, _written) = (window, 0, 0);
            }
            if (write)
            {
                _written += LineBytes;
            }
            else
            {
                _read += LineBytes;
            }
            var idle = (write ? access.WriteLatencyNs : access.ReadLatencyNs) * distance / initiatorDistance;
            return LoadedLatency.At(idle, _utilisation);
        }
    }
}
