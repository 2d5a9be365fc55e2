namespace NumaSim.Model.Snapshots;

/// <summary>One CPU's per-CPU page list on one zone, as zoneinfo's "pagesets" shows it.</summary>
public sealed record PagesetSnapshot(int Cpu, int Count, int High, int Batch, int HighMin, int HighMax);
