namespace NumaSim.Model.Topology;

/// <summary>
/// A node's memory performance as ACPI HMAT reports it to its nearest initiators
/// (/sys/devices/system/node/nodeN/access0/initiators/{read,write}_{latency,bandwidth}):
/// latency in nanoseconds, bandwidth in MB/s.
/// </summary>
public sealed record NodeAccess(long ReadLatencyNs, long WriteLatencyNs, long ReadBandwidthMBps, long WriteBandwidthMBps);
