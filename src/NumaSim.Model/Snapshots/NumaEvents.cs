using NumaSim.Model.Stats;

namespace NumaSim.Model.Snapshots;

/// <summary>The per-zone NUMA event counters (enum numa_stat_item), in the kernel's order.</summary>
public sealed record NumaEvents(long Hit, long Miss, long Foreign, long InterleaveHit, long Local, long Other)
{
    public static NumaEvents Zero { get; } = new(0, 0, 0, 0, 0, 0);

    public long this[NumaStatItem item] => item switch
    {
        NumaStatItem.NumaHit => Hit,
        NumaStatItem.NumaMiss => Miss,
        NumaStatItem.NumaForeign => Foreign,
        NumaStatItem.NumaInterleave => InterleaveHit,
        NumaStatItem.NumaLocal => Local,
        NumaStatItem.NumaOther => Other,
        _ => throw new ArgumentOutOfRangeException(nameof(item)),
    };

    public static NumaEvents Of(Counters<NumaStatItem> c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c[NumaStatItem.NumaHit], c[NumaStatItem.NumaMiss], c[NumaStatItem.NumaForeign],
            c[NumaStatItem.NumaInterleave], c[NumaStatItem.NumaLocal], c[NumaStatItem.NumaOther]);
    }

    public NumaEvents Add(NumaEvents o) =>
        new(Hit + o.Hit, Miss + o.Miss, Foreign + o.Foreign, InterleaveHit + o.InterleaveHit, Local + o.Local, Other + o.Other);
}
