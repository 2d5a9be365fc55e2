namespace NumaSim.Telemetry.Tracing;

/// <summary>Span attribute names, lowercase and dotted as OpenTelemetry names attributes.</summary>
public static class SpanAttributeNames
{
    public const string Cpu = "numa.cpu";
    public const string SrcNode = "numa.src_node";
    public const string DstNode = "numa.dst_node";
    public const string Distance = "numa.distance";
    public const string Pfn = "mem.pfn";
    public const string Order = "mem.order";
    public const string Gfp = "mem.gfp";
    public const string LatencyNs = "sim.latency_ns";
}
