namespace NumaSim.Model.Snapshots;

/// <summary>One CPU's TLB and fault counters (summary.json sums them; telemetry and the report show them per CPU).</summary>
public sealed record CpuCounters(int Cpu, int Node, long TlbHits, long TlbMisses, long Faults);
