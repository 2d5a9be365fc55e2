namespace NumaSim.Model.Topology;

public sealed record NodeAccess(long ReadLatencyNs, long WriteLatencyNs, long ReadBandwidthMBps, long WriteBandwidthMBps);
