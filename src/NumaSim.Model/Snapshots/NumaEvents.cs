namespace NumaSim.Model.Snapshots;

/// <summary>The per-zone NUMA event counters (enum numa_stat_item), in the kernel's order.</summary>
public sealed record NumaEvents(long Hit, long Miss, long Foreign, long InterleaveHit, long Local, long Other)
{
    public static NumaEvents Zero { get; } = new(0, 0, 0, 0, 0, 0);

    public NumaEvents Add(NumaEvents o) =>
        new(Hit + o.Hit, Miss + o.Miss, Foreign + o.Foreign, InterleaveHit + o.InterleaveHit, Local + o.Local, Other + o.Other);
}
