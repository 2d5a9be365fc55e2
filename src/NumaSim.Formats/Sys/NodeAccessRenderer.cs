using System.Globalization;
using NumaSim.Model.Topology;

namespace NumaSim.Formats.Sys;

/// <summary>
/// /sys/devices/system/node/nodeN/access0/initiators/{read,write}_{latency,bandwidth} (drivers/base/node.c,
/// node_set_perf_attrs): HMAT's figures for the node's memory from its nearest initiators, one decimal number
/// each, nanoseconds and MB/s. Present only where the machine reports HMAT.
/// </summary>
public static class NodeAccessRenderer
{
    public const string Directory = "access0/initiators";

    public static IEnumerable<(string Name, string Text)> Files(NodeAccess access)
    {
        ArgumentNullException.ThrowIfNull(access);
        yield return ("read_bandwidth", Line(access.ReadBandwidthMBps));
        yield return ("read_latency", Line(access.ReadLatencyNs));
        yield return ("write_bandwidth", Line(access.WriteBandwidthMBps));
        yield return ("write_latency", Line(access.WriteLatencyNs));
    }

    private static string Line(long value) => value.ToString(CultureInfo.InvariantCulture) + "\n";
}
